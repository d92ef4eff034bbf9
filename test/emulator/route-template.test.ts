import { describe, expect, it } from 'vitest';
import { routeTemplate } from '../../emulator/admin/route-template.ts';

describe('request counter route templates for the REST resources', () => {
  it('folds external id values, tree types and record ids into placeholders', () => {
    expect(routeTemplate('PATCH', '/services/data/v66.0/sobjects/Account/Legacy_Id__c/L-1')).toBe(
      'PATCH /services/data/vXX.X/sobjects/{type}/Legacy_Id__c/{value}',
    );
    expect(routeTemplate('PATCH', '/services/data/v66.0/sobjects/Account/Id/001000000000001AAA')).toBe(
      'PATCH /services/data/vXX.X/sobjects/{type}/Id/{value}',
    );
    expect(routeTemplate('POST', '/services/data/v66.0/composite/tree/Account')).toBe(
      'POST /services/data/vXX.X/composite/tree/{type}',
    );
    expect(routeTemplate('GET', '/services/data/v66.0/sobjects/Contact/0038d0000000001AAA/Account')).toBe(
      'GET /services/data/vXX.X/sobjects/{type}/{id}/Account',
    );
    expect(routeTemplate('GET', '/services/data/v66.0/sobjects/Account/quickActions/NewTask/describe')).toBe(
      'GET /services/data/vXX.X/sobjects/{type}/quickActions/NewTask/describe',
    );
  });
});
