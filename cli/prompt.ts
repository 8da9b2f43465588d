/** Asking a question on the terminal (node:readline/promises). */
import readline from 'node:readline/promises';

export async function ask(question: string): Promise<string> {
  const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
  try {
    return await rl.question(question);
  } finally {
    rl.close();
  }
}
