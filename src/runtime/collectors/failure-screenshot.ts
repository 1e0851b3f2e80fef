/**
 * The screenshot of a failed journey for its evidence folder, with every credential field masked:
 * Playwright's own failure screenshot (screenshot: 'only-on-failure') shows what the username
 * field holds. Taken before the context closes, after the last step, only when the journey did not
 * end as expected, with the fields that can hold a user name, a password or a token covered by
 * Playwright's mask (a solid box drawn over them).
 */
import type { JourneyMeasurements } from '../../results/results.ts';
import type { Collector, CollectorContext } from './types.ts';

/** Where the masked screenshot travels to the results reporter: a test attachment (a file). */
export const MASKED_SCREENSHOT_ATTACHMENT = 'perfpulse-masked-screenshot';

/** Fields that may show a credential: password inputs, and inputs named or labelled for users, passwords and tokens. */
export const CREDENTIAL_FIELDS = [
  'input[type="password"]',
  'input[autocomplete="username"]',
  'input[autocomplete="current-password"]',
  'input[autocomplete="new-password"]',
  'input[name*="user" i]',
  'input[name*="pass" i]',
  'input[name*="token" i]',
  'input[id*="user" i]',
  'input[id*="pass" i]',
  'input[id*="token" i]',
  'textarea[name*="token" i]',
].join(', ');

export class FailureScreenshotCollector implements Collector {
  readonly name = 'failure-screenshot';

  async finish(ctx: CollectorContext): Promise<JourneyMeasurements> {
    const { page, testInfo } = ctx;
    if (testInfo.status === testInfo.expectedStatus || testInfo.status === 'skipped' || page.isClosed()) return {};
    const path = testInfo.outputPath('screenshot-masked.png');
    await page.screenshot({ path, mask: [page.locator(CREDENTIAL_FIELDS)], maskColor: '#202020', timeout: 5000, animations: 'disabled' });
    testInfo.attachments.push({ name: MASKED_SCREENSHOT_ATTACHMENT, path, contentType: 'image/png' });
    return {};
  }
}
