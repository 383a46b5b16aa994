/** The Powertools logger every handler uses (structured JSON, Lambda context injected by middy). */
import { Logger } from '@aws-lambda-powertools/logger';

export const logger = new Logger({ serviceName: 'redis-compliance' });
