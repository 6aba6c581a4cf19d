// The API's routes over an API Gateway (REST, Lambda proxy) event:
//   POST   /queries        {"sql": "...", "vars": {...}}   → 202 {queryId, executionArn}
//   GET    /queries/{id}                                  → state, per-stage progress, errors, result locations
//   GET    /queries/{id}?statement=N&offset=0&limit=1000   → a page of a SELECT's rows
//   DELETE /queries/{id}                                  → aborts; the execution-status rule cleans up
// A bad request (SQL errors with file:line:col) is a 400, an unknown query a 404.
import { formatError, isShoalError } from '../common/errors.js';
import { abortQuery, queryStatus, resultRows, submitQuery, type QueryService } from './queries.js';

/** The fields of API Gateway's proxy event that the routes read. */
export interface ApiGatewayProxyEvent {
  readonly resource: string;
  readonly httpMethod: string;
  readonly pathParameters?: Readonly<Record<string, string>> | null;
  readonly queryStringParameters?: Readonly<Record<string, string>> | null;
  readonly body?: string | null;
  readonly isBase64Encoded?: boolean;
}

export interface ApiGatewayProxyResult {
  readonly statusCode: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

const MAX_PAGE = 10_000;

const reply = (statusCode: number, body: unknown): ApiGatewayProxyResult => ({
  statusCode,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)),
});

function intParam(q: Readonly<Record<string, string>>, name: string, fallback: number): number {
  const raw = q[name];
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw)) throw badRequest(`query parameter ${name}=${raw}: expected a non-negative integer`);
  return Number(raw);
}

class BadRequest extends Error {}
const badRequest = (m: string) => new BadRequest(m);

export async function handleApi(svc: QueryService, e: ApiGatewayProxyEvent): Promise<ApiGatewayProxyResult> {
  try {
    const route = `${e.httpMethod} ${e.resource}`;
    const id = e.pathParameters?.['id'] ?? '';
    const q = e.queryStringParameters ?? {};
    switch (route) {
      case 'POST /queries': {
        const text = e.body ? (e.isBase64Encoded ? Buffer.from(e.body, 'base64').toString('utf8') : e.body) : '';
        let req: { sql?: unknown; vars?: unknown };
        try {
          req = JSON.parse(text) as typeof req;
        } catch {
          throw badRequest('the body is not JSON: expected {"sql": "...", "vars": {"name": "value"}}');
        }
        const vars = req.vars ?? {};
        if (typeof vars !== 'object' || vars === null || Object.values(vars).some((v) => typeof v !== 'string')) throw badRequest('vars: expected an object of string values');
        return reply(202, await submitQuery(svc, { sql: req.sql as string, vars: vars as Record<string, string> }));
      }
      case 'GET /queries/{id}': {
        if (q['statement'] !== undefined) {
          const page = await resultRows(svc, id, intParam(q, 'statement', 0), intParam(q, 'offset', 0), Math.min(MAX_PAGE, intParam(q, 'limit', 1000)));
          return page ? reply(200, page) : reply(404, { error: `no query ${id}` });
        }
        const status = await queryStatus(svc, id);
        return status ? reply(200, status) : reply(404, { error: `no query ${id}` });
      }
      case 'DELETE /queries/{id}': {
        const state = await abortQuery(svc, id);
        return state ? reply(202, { queryId: id, ...state }) : reply(404, { error: `no query ${id}` });
      }
      default:
        return reply(404, { error: `no route ${route}` });
    }
  } catch (err) {
    if (err instanceof BadRequest) return reply(400, { error: err.message });
    if (isShoalError(err) && !err.retryable) return reply(400, { error: formatError(err), kind: err.kind });
    console.error(err);
    return reply(500, { error: formatError(err) });
  }
}
