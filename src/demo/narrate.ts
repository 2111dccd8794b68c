/** How the demo talks: numbered steps, plain sentences wrapped to the terminal, commands shown as typed. */

const WIDTH = Math.min(process.stdout.columns || 100, 100);

export function heading(n: number, total: number, title: string): void {
  const text = `── ${n}/${total} · ${title} `;
  process.stdout.write(`\n${text}${'─'.repeat(Math.max(3, WIDTH - text.length))}\n`);
}

/** A paragraph, wrapped. */
export function say(text: string): void {
  process.stdout.write(`${wrap(text, WIDTH - 2).join('\n')}\n`);
}

/** What to look at in what follows. */
export function look(text: string): void {
  process.stdout.write(`${wrap(`Look at: ${text}`, WIDTH - 2).join('\n')}\n`);
}

export function command(line: string): void {
  process.stdout.write(`\n  $ ${line}\n`);
}

/** Output of a command, indented under it. */
export function indented(text: string): void {
  const body = text.replace(/\s+$/, '');
  if (body) process.stdout.write(`${body.split('\n').map((l) => `    ${l}`).join('\n')}\n`);
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines;
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
