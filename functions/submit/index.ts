// submit: the API's Lambda (API Gateway proxy events): submit a query, its status and
// result rows, abort it (lib/runtime/api.ts). Clients are made once per container.
import type { FunctionName } from '../../lib/asl/emit.js';
import { handleApi, type ApiGatewayProxyEvent } from '../../lib/runtime/api.js';
import { storeFor } from '../../lib/runtime/context.js';
import { deployedWarehouse } from '../../lib/runtime/lambda.js';
import { SfnExecutions } from '../../lib/runtime/sfn-executions.js';

const env = (name: string) => process.env[name] ?? '';
const warehouse = deployedWarehouse();
const service = {
  store: storeFor(warehouse),
  warehouse,
  executions: new SfnExecutions(env('SHOAL_STATE_MACHINE_ROLE')),
  machinePrefix: env('SHOAL_MACHINE_PREFIX'),
  functionArns: JSON.parse(env('SHOAL_FUNCTION_ARNS') || '{}') as Record<FunctionName, string>,
};

export const handler = (event: ApiGatewayProxyEvent) => handleApi(service, event);
