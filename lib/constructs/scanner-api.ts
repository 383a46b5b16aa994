/**
 * The on-demand REST API (API Gateway, regional): every method requires AWS_IAM (SigV4) callers,
 * request parameters and JSON bodies are validated before the Lambda runs, the stage is throttled
 * and writes JSON access logs and error-level execution logs. CORS stays off unless origins are
 * configured. All methods proxy to the api Lambda, which routes and validates in depth.
 */
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Validations } from 'aws-cdk-lib';
import { Construct } from 'constructs';

export interface ApiRoute {
  readonly path: string;
  readonly method: 'GET' | 'POST' | 'DELETE';
  /** Query-string parameters accepted (all optional; the Lambda validates their values). */
  readonly query?: readonly string[];
  /** JSON schema of the body (POST). */
  readonly body?: apigateway.JsonSchema;
}

const ACCOUNT_ID_PATTERN = '^[0-9]{12}$';
const REGION_PATTERN = '^[a-z]{2}(-[a-z]+)+-[0-9]+$';

/** The routes of lambdas/handlers/api.ts. */
export const API_ROUTES: readonly ApiRoute[] = [
  {
    path: '/scans',
    method: 'POST',
    body: {
      type: apigateway.JsonSchemaType.OBJECT,
      additionalProperties: false,
      properties: {
        regions: { type: apigateway.JsonSchemaType.ARRAY, maxItems: 40, items: { type: apigateway.JsonSchemaType.STRING, pattern: REGION_PATTERN } },
        accounts: { type: apigateway.JsonSchemaType.ARRAY, maxItems: 1000, items: { type: apigateway.JsonSchemaType.STRING, pattern: ACCOUNT_ID_PATTERN } },
      },
    },
  },
  { path: '/scans', method: 'GET', query: ['limit', 'nextToken'] },
  { path: '/scans/{id}', method: 'GET' },
  { path: '/scans/{id}/findings', method: 'GET', query: ['status', 'severity', 'rule', 'limit', 'nextToken'] },
  { path: '/reports/latest', method: 'GET', query: ['format'] },
  { path: '/suppressions', method: 'GET', query: ['limit', 'nextToken'] },
  { path: '/suppressions', method: 'POST', body: { type: apigateway.JsonSchemaType.OBJECT, maxProperties: 20 } },
  { path: '/suppressions/{id}', method: 'DELETE' },
];

export interface ScannerApiProps {
  readonly handler: lambda.IFunction;
  readonly throttlingRateLimit: number;
  readonly throttlingBurstLimit: number;
  readonly corsAllowOrigins: readonly string[];
  readonly createCloudWatchRole: boolean;
  readonly logRetention: logs.RetentionDays;
  readonly routes?: readonly ApiRoute[];
}

export class ScannerApi extends Construct {
  readonly api: apigateway.RestApi;
  readonly accessLogs: logs.LogGroup;

  constructor(scope: Construct, id: string, props: ScannerApiProps) {
    super(scope, id);
    this.accessLogs = new logs.LogGroup(this, 'AccessLogs', { retention: props.logRetention });
    const cors = props.corsAllowOrigins.length > 0;
    this.api = new apigateway.RestApi(this, 'Api', {
      description: 'redis-compliance: scans, findings, reports and suppressions (SigV4 only)',
      endpointConfiguration: { types: [apigateway.EndpointType.REGIONAL] },
      cloudWatchRole: props.createCloudWatchRole,
      defaultMethodOptions: { authorizationType: apigateway.AuthorizationType.IAM },
      ...(cors
        ? { defaultCorsPreflightOptions: { allowOrigins: [...props.corsAllowOrigins], allowMethods: ['GET', 'POST', 'DELETE'], allowHeaders: ['Authorization', 'Content-Type', 'X-Amz-Date', 'X-Amz-Security-Token', 'X-Amz-Content-Sha256'] } }
        : {}),
      deployOptions: {
        stageName: 'v1',
        throttlingRateLimit: props.throttlingRateLimit,
        throttlingBurstLimit: props.throttlingBurstLimit,
        accessLogDestination: new apigateway.LogGroupLogDestination(this.accessLogs),
        accessLogFormat: apigateway.AccessLogFormat.jsonWithStandardFields(),
        loggingLevel: apigateway.MethodLoggingLevel.ERROR,
        dataTraceEnabled: false,
        metricsEnabled: true,
        tracingEnabled: true,
      },
    });
    if (props.createCloudWatchRole) {
      const role = this.api.node.findChild('CloudWatchRole');
      Validations.of(role).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
        reason: 'The regional API Gateway account setting needs a role that can write execution logs to any API log group of the account; AWS maintains this managed policy for exactly that.',
      });
    }
    // AWS_IAM on every method (Cognito would add a user directory the callers, IAM principals, do not have).
    Validations.of(this.api).acknowledge({
      id: 'AwsSolutions-COG4',
      reason: 'Every method uses AWS_IAM authorization: callers are IAM principals signing with SigV4, not Cognito users.',
    });
    Validations.of(this.api).acknowledge({
      id: 'AwsSolutions-APIG3',
      reason: 'Unsigned requests are rejected by AWS_IAM authorization before any integration runs, and the stage is throttled; a WAF web ACL would add cost without protecting an API that only IAM principals can call.',
    });

    const integration = new apigateway.LambdaIntegration(props.handler, { proxy: true });
    const validator = new apigateway.RequestValidator(this, 'Validator', {
      restApi: this.api,
      validateRequestBody: true,
      validateRequestParameters: true,
    });
    for (const route of props.routes ?? API_ROUTES) this.addRoute(route, integration, validator);
  }

  private addRoute(route: ApiRoute, integration: apigateway.Integration, validator: apigateway.IRequestValidator): void {
    const resource = this.api.root.resourceForPath(route.path);
    const requestParameters: Record<string, boolean> = {};
    for (const match of route.path.matchAll(/\{(\w+)\}/g)) requestParameters[`method.request.path.${match[1]}`] = true;
    for (const q of route.query ?? []) requestParameters[`method.request.querystring.${q}`] = false;
    const modelName = `${route.method}${route.path.replace(/[^A-Za-z0-9]/g, '')}`;
    resource.addMethod(route.method, integration, {
      authorizationType: apigateway.AuthorizationType.IAM,
      requestValidator: validator,
      requestParameters,
      ...(route.body
        ? { requestModels: { 'application/json': this.api.addModel(`${modelName}Model`, { contentType: 'application/json', schema: { schema: apigateway.JsonSchemaVersion.DRAFT4, ...route.body } }) } }
        : {}),
    });
  }
}
