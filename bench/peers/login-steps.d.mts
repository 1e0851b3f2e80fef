import type { Locator, Page } from 'playwright-core';

export interface LoginForm {
  form: Locator;
  username: Locator;
  password: Locator;
  submit: Locator;
}
export function loginForm(page: Page): LoginForm;
export function openLoginPage(page: Page, base: string): Promise<LoginForm>;
export function submitCredentials(page: Page, login: LoginForm, username: string, password: string): Promise<void>;
export function seeUserMenu(page: Page, login: LoginForm): Promise<void>;
export const STEPS: readonly string[];
