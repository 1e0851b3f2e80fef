/**
 * The one place that uses Playwright's private recorder API.
 *
 * `npx playwright codegen` cannot take an executable path (we never download a browser, so it has
 * no Chromium to start), but all it does is launch a browser, call the private
 * `BrowserContext._showRecorder()` with `mode: 'recording'` and an `outputFile`, and open the start
 * page (playwright-core 1.64.1, `codegen()` in packages/playwright-core/src/cli/browserActions.ts; older
 * releases called the same method `_enableRecorder`). We do the same on a context of a browser we
 * launched with `executablePath`. Playwright opens the Inspector in a Chromium of its own, started
 * from the same executable, and writes the recorded Playwright Test source to `outputFile` (throttled to
 * every 250 ms, and once more when the context closes).
 *
 * When Playwright is upgraded and the method is gone or renamed, `record` fails with one line
 * saying so (exit 2) instead of recording nothing.
 */
import type { BrowserContext } from 'playwright-core';
import { UserError } from '../errors.ts';
import { playwrightVersion } from '../runtime/browser/browser.ts';

interface RecorderParams {
  language: 'playwright-test';
  mode: 'recording';
  outputFile: string;
  handleSIGINT: boolean;
  launchOptions: Record<string, unknown>;
  contextOptions: Record<string, unknown>;
}

type ShowRecorder = (params: RecorderParams) => Promise<void>;

/** Opens the Inspector on `context` and records into `outputFile` (Playwright Test, TypeScript). */
export async function startCodegen(context: BrowserContext, outputFile: string): Promise<void> {
  const method = (context as unknown as { _showRecorder?: ShowRecorder })._showRecorder;
  if (typeof method !== 'function') {
    throw new UserError(
      `record needs Playwright's private BrowserContext._showRecorder (present in 1.64), which Playwright ${playwrightVersion()} does not have: update src/record/codegen.ts`,
    );
  }
  // Playwright skips the Inspector (and so records nothing) when this is set.
  delete process.env.PW_CODEGEN_NO_INSPECTOR;
  await method.call(context, {
    language: 'playwright-test',
    mode: 'recording',
    outputFile,
    handleSIGINT: false,
    // Only shape the header codegen writes (`test.use(...)`); the converter drops it anyway.
    launchOptions: {},
    contextOptions: {},
  });
}
