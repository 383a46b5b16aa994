/**
 * The on-demand REST API (API Gateway, regional): every method requires AWS_IAM (SigV4) callers,
 * request parameters and JSON bodies are validated before the Lambda runs, the stage is throttled
 * and writes JSON access logs and error-level execution logs. CORS stays off unless origins are
 * configured. All methods proxy to the api Lambda, which routes and validates in depth.
 */
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Stack, Validations } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { MAX_OWNER_LENGTH, MAX_REASON_LENGTH, MAX_RESOURCE_PATTERN_LENGTH } from '../../lambdas/core/suppressions/suppression-schema';

export interface ApiRoute {
  readonly path: string;
  readonly method: 'GET' | 'POST' | 'DELETE';
  /** Query-string parameters accepted (all optional; the Lambda validates their values). */
  readonly query?: readonly string[];
  /** JSON schema of the body (POST). */
  readonly body?: apigateway.JsonSchema;
}

/**
 * The routes of lambdas/handlers/api.ts. POST /scans takes an optional body, which a request
 * model cannot express (API Gateway rejects an empty body against a model), so the Lambda alone
 * validates it; every other body and every path parameter is checked here first.
 */
export const API_ROUTES: readonly ApiRoute[] = [
  { path: '/scans', method: 'POST' },
  { path: '/scans', method: 'GET', query: ['limit', 'nextToken'] },
  { path: '/scans/{scanId}', method: 'GET' },
  { path: '/scans/{scanId}/findings', method: 'GET', query: ['status', 'severity', 'rule', 'limit', 'nextToken'] },
  { path: '/reports/latest', method: 'GET', query: ['format'] },
  { path: '/suppressions', method: 'GET' },
  {
    path: '/suppressions',
    method: 'POST',
    // Coarse shape only; lambdas/core/suppressions/suppression-schema.ts gives the field-level 400s.
    body: {
      type: apigateway.JsonSchemaType.OBJECT,
      additionalProperties: false,
      required: ['ruleId', 'resourcePattern', 'reason', 'owner', 'expiresAt'],
      properties: {
        ruleId: { type: apigateway.JsonSchemaType.STRING, maxLength: 100 },
        resourcePattern: { type: apigateway.JsonSchemaType.STRING, maxLength: MAX_RESOURCE_PATTERN_LENGTH * 2 },
        reason: { type: apigateway.JsonSchemaType.STRING, maxLength: MAX_REASON_LENGTH * 2 },
        owner: { type: apigateway.JsonSchemaType.STRING, maxLength: MAX_OWNER_LENGTH * 2 },
        expiresAt: { type: apigateway.JsonSchemaType.STRING, maxLength: 64 },
      },
    },
  },
  { path: '/suppressions/{id}', method: 'DELETE' },
];

export const STAGE_NAME = 'v1';

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
  readonly executionLogs: logs.LogGroup;

  constructor(scope: Construct, id: string, props: ScannerApiProps) {
    super(scope, id);
    this.accessLogs = new logs.LogGroup(this, 'AccessLogs', { retention: props.logRetention });
    const cors = props.corsAllowOrigins.length > 0;
    this.api = new apigateway.RestApi(this, 'Api', {
      // A name of this stack's own: the 5XX alarm's ApiName dimension matches this API and no other of the account.
      restApiName: `${Stack.of(this).stackName}-api`,
      description: 'redis-compliance: scans, findings, reports and suppressions (SigV4 only)',
      endpointConfiguration: { types: [apigateway.EndpointType.REGIONAL] },
      cloudWatchRole: props.createCloudWatchRole,
      defaultMethodOptions: { authorizationType: apigateway.AuthorizationType.IAM },
      ...(cors
        ? { defaultCorsPreflightOptions: { allowOrigins: [...props.corsAllowOrigins], allowMethods: ['GET', 'POST', 'DELETE'], allowHeaders: ['Authorization', 'Content-Type', 'X-Amz-Date', 'X-Amz-Security-Token', 'X-Amz-Content-Sha256'] } }
        : {}),
      deployOptions: {
        stageName: STAGE_NAME,
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
    // Execution logs go to a group API Gateway names and creates itself, with no retention: created
    // here first, with the stack's retention, and the stage waits for it
    // (https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-execution-logging.html: "API-Gateway-Execution-Logs_{rest-api-id}/{stage_name}").
    this.executionLogs = new logs.LogGroup(this, 'ExecutionLogs', {
      logGroupName: `API-Gateway-Execution-Logs_${this.api.restApiId}/${STAGE_NAME}`,
      retention: props.logRetention,
    });
    this.api.deploymentStage.node.addDependency(this.executionLogs);
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
