/**
 * Exit codes of `tskvm-board`, documented in the README:
 *  0  the firmware powered the board off (PSCI SYSTEM_OFF…) with code 0, or a command succeeded
 *  1  a firmware failure or a limit reached (the message says which)
 *  2  bad input: command line, board file, firmware file, device tree blob
 *  3  an internal error in tskvm itself (a bug: please report it)
 */
export const ExitCode = {
  Ok: 0,
  Failure: 1,
  BadInput: 2,
  Internal: 3,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
