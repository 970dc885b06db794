/** Every command, in the order `--help` lists them. */
import type { Command } from './command.js';
import { validateCommand } from './validate.js';

export const COMMANDS: Command[] = [validateCommand];
