/**
 * Why a machine stops running for good (as opposed to a core's per-slice
 * StopReason). The CLI maps these to exit codes: poweroff → the firmware's
 * code (0 for PSCI SYSTEM_OFF), limit and guest-error → 1.
 */
export type StopRequest =
  | { readonly kind: 'poweroff'; readonly exitCode: number; readonly message?: string }
  | { readonly kind: 'reset' }
  | { readonly kind: 'limit'; readonly message: string }
  | { readonly kind: 'guest-error'; readonly message: string }
  | { readonly kind: 'user-quit' };

/** Anything that can ask the machine to stop: PSCI, a reset controller, the console's Ctrl-A x. */
export interface StopRequester {
  requestStop(request: StopRequest): void;
}
