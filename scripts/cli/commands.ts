/** Every command, in the order `--help` lists them. */
import { attackCommand } from './attack.js';
import type { Command } from './command.js';
import { gateCommand } from './gate.js';
import { historyCommand } from './history.js';
import { importCommand } from './import.js';
import { scoreCommand } from './score.js';
import { staleCommand } from './stale.js';
import { validateCommand } from './validate.js';

export const COMMANDS: Command[] = [validateCommand, scoreCommand, gateCommand, importCommand, historyCommand, attackCommand, staleCommand];
