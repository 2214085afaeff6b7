#!/usr/bin/env node
// Entry point of the `tskvm-board` command. tskvm is written in TypeScript and
// runs through tsx's loader, so no build step is needed after `npm ci`.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
