// Builds every service from the infrastructure; the one place that knows how they connect.
import type { ServiceDeps } from './deps.js';
import { apiKeysServiceFactory } from './api-keys/api-keys-service.js';
import { companyServiceFactory } from './company/company-service.js';
import { officesServiceFactory } from './offices/offices-service.js';

export function createServices(deps: ServiceDeps) {
  const apiKeys = apiKeysServiceFactory(deps);
  const company = companyServiceFactory({ ...deps, apiKeys });
  const offices = officesServiceFactory(deps);
  return { apiKeys, company, offices };
}

export type Services = ReturnType<typeof createServices>;
