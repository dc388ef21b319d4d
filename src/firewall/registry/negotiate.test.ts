import { describe, expect, it } from 'vitest';
import { contentTypeFor, negotiateDocumentForm } from './negotiate.js';

describe('negotiateDocumentForm', () => {
  it('gives the abbreviated form to the header npm, pnpm, Yarn classic and Bun send', () => {
    expect(
      negotiateDocumentForm('application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8, */*'),
    ).toBe('abbreviated');
    expect(negotiateDocumentForm('application/vnd.npm.install-v1+json')).toBe('abbreviated');
    expect(negotiateDocumentForm('Application/VND.npm.install-v1+JSON')).toBe('abbreviated');
  });

  it('gives full JSON when asked for or when nothing matches (never 406)', () => {
    expect(negotiateDocumentForm(undefined)).toBe('full');
    expect(negotiateDocumentForm('')).toBe('full');
    expect(negotiateDocumentForm('application/json')).toBe('full');
    expect(negotiateDocumentForm('*/*')).toBe('full');
    expect(negotiateDocumentForm('application/*')).toBe('full');
    expect(negotiateDocumentForm('text/html')).toBe('full');
    expect(negotiateDocumentForm('garbage;;;,,,')).toBe('full');
    expect(negotiateDocumentForm('application/vnd.npm.install-v1+json; q=0')).toBe('full');
  });

  it('honours quality values', () => {
    expect(negotiateDocumentForm('application/vnd.npm.install-v1+json; q=0.5, application/json')).toBe(
      'full',
    );
    expect(negotiateDocumentForm('application/json; q=0.1, application/vnd.npm.install-v1+json; q=0.2')).toBe(
      'abbreviated',
    );
    expect(negotiateDocumentForm('application/json;q=0, */*')).toBe('abbreviated');
    expect(negotiateDocumentForm('application/json, application/vnd.npm.install-v1+json')).toBe(
      'abbreviated',
    );
    expect(negotiateDocumentForm('*/*;q=0.9, application/json')).toBe('full');
  });

  it('reads repeated headers', () => {
    expect(negotiateDocumentForm(['application/json; q=0.8', 'application/vnd.npm.install-v1+json'])).toBe(
      'abbreviated',
    );
  });

  it('names the content type sent', () => {
    expect(contentTypeFor('abbreviated')).toMatch(/^application\/vnd\.npm\.install-v1\+json/);
    expect(contentTypeFor('full')).toMatch(/^application\/json/);
  });
});
