/** A monitor command that cannot be done: its message is printed at the prompt, the run goes on. */
export class MonitorError extends Error {}
