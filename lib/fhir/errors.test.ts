import { describe, expect, it } from 'vitest';
import { errorFromResponse, FhirRequestError, parseBearerError } from './errors';

const h = (init: Record<string, string> = {}): Headers => new Headers(init);

describe('errorFromResponse', () => {
  it('reads an OperationOutcome with a code', () => {
    const body = JSON.stringify({
      resourceType: 'OperationOutcome',
      issue: [
        { severity: 'warning', code: 'suppressed', details: { text: 'partly hidden' } },
        {
          severity: 'fatal',
          code: 'required',
          details: { text: 'A required element is missing.' },
          diagnostics: 'Must have either code or category.',
        },
      ],
    });
    const e = errorFromResponse(400, h(), body);
    expect(e).toBeInstanceOf(FhirRequestError);
    expect(e.httpStatus).toBe(400);
    expect(e.issueCode).toBe('required');
    expect(e.detailsText).toBe('A required element is missing.');
    expect(e.diagnostics).toBe('Must have either code or category.');
    expect(e.code).toBe('ehr-error');
    expect(e.userMessage).toBe('A required element is missing.');
  });

  it('reads an OperationOutcome issue without a code (NextGen)', () => {
    const body = JSON.stringify({
      resourceType: 'OperationOutcome',
      issue: [{ severity: 'error', diagnostics: "must have 'code' or 'category'." }],
    });
    const e = errorFromResponse(400, h(), body);
    expect(e.issueCode).toBeUndefined();
    expect(e.diagnostics).toBe("must have 'code' or 'category'.");
    expect(e.userMessage).toBe("must have 'code' or 'category'.");
  });

  it('reads an empty 403 with WWW-Authenticate insufficient_scope', () => {
    const e = errorFromResponse(
      403,
      h({ 'www-authenticate': 'Bearer error="insufficient_scope", error_description="scope"' }),
      '',
    );
    expect(e.authError).toBe('insufficient_scope');
    expect(e.code).toBe('forbidden');
    expect(e.userMessage).toMatch(/not granted access/);
  });

  it('handles plain text 400, HTML 500 and 401', () => {
    const t = errorFromResponse(400, h(), 'Bad Request: patient is required');
    expect(t.outcome).toBeUndefined();
    expect(t.code).toBe('ehr-error');
    expect(t.userMessage).not.toContain('patient is required');
    const html = errorFromResponse(500, h(), '<html><body>Internal Server Error</body></html>');
    expect(html.code).toBe('ehr-error');
    expect(html.status).toBe(502);
    expect(errorFromResponse(401, h(), '').code).toBe('session-expired');
  });

  it('maps malformed JSON that looks like JSON to no outcome', () => {
    const e = errorFromResponse(502, h(), '{"resourceType": "OperationOut');
    expect(e.outcome).toBeUndefined();
    expect(e.code).toBe('ehr-error');
  });

  it('maps timeouts and network failures to ehr-unavailable', () => {
    expect(new FhirRequestError({ kind: 'timeout' }).code).toBe('ehr-unavailable');
    expect(new FhirRequestError({ kind: 'network' }).code).toBe('ehr-unavailable');
  });

  it('parses bearer error parameters', () => {
    expect(parseBearerError('Bearer realm="x", error="invalid_token"')).toBe('invalid_token');
    expect(parseBearerError(null)).toBeUndefined();
  });
});
