import type { Org } from '../org/org.ts';
import type { DataRequest, DataResponse } from './types.ts';

/** API versions the emulator serves, oldest first: Summer '20 (50.0) to Spring '26 (66.0). */
const RELEASES: Array<[string, string]> = [
  ['50.0', "Winter '21"],
  ['51.0', "Spring '21"],
  ['52.0', "Summer '21"],
  ['53.0', "Winter '22"],
  ['54.0', "Spring '22"],
  ['55.0', "Summer '22"],
  ['56.0', "Winter '23"],
  ['57.0', "Spring '23"],
  ['58.0', "Summer '23"],
  ['59.0', "Winter '24"],
  ['60.0', "Spring '24"],
  ['61.0', "Summer '24"],
  ['62.0', "Winter '25"],
  ['63.0', "Spring '25"],
  ['64.0', "Summer '25"],
  ['65.0', "Winter '26"],
  ['66.0', "Spring '26"],
];

export const LATEST_VERSION = RELEASES[RELEASES.length - 1][0];
const SUPPORTED = new Set(RELEASES.map(([version]) => version));

export function isSupportedVersion(version: string): boolean {
  return SUPPORTED.has(version);
}

/** `GET /services/data`: the version list (public, no session needed, as on Salesforce). */
export function handleVersions(_org: Org): unknown {
  return RELEASES.map(([version, label]) => ({ label, url: `/services/data/v${version}`, version }));
}

const RESOURCES = [
  'tooling',
  'metadata',
  'eclair',
  'folders',
  'prechatForms',
  'contact-tracing',
  'jsonxform',
  'chatter',
  'tabs',
  'appMenu',
  'quickActions',
  'queryAll',
  'commerce',
  'wave',
  'iot',
  'analytics',
  'search',
  'identity',
  'composite',
  'parameterizedSearch',
  'fingerprint',
  'theme',
  'nouns',
  'domino',
  'event',
  'serviceTemplates',
  'recent',
  'connect',
  'licensing',
  'limits',
  'process',
  'async-queries',
  'query',
  'match',
  'emailConnect',
  'compactLayouts',
  'knowledgeManagement',
  'sobjects',
  'actions',
  'support',
];

/** `GET /services/data/vXX.X`: the resource directory (only the ones the emulator serves, plus identity). */
export function handleResources(org: Org, request: DataRequest): DataResponse {
  const served = new Set([
    'limits',
    'sobjects',
    'query',
    'queryAll',
    'search',
    'parameterizedSearch',
    'composite',
    'recent',
    'quickActions',
  ]);
  const body: Record<string, string> = {};
  for (const name of RESOURCES) {
    if (served.has(name)) body[name] = `/services/data/v${request.version}/${name}`;
  }
  body.identity = org.identityUrl(request.session.userId);
  return { status: 200, body };
}

/** `GET …/limits`: DailyApiRequests reflects real usage; the other entries are a fresh org's. */
export function handleLimits(org: Org): DataResponse {
  const fixed = (max: number) => ({ Max: max, Remaining: max });
  const body: Record<string, unknown> = {
    ActiveScratchOrgs: fixed(3),
    AnalyticsExternalDataSizeMB: fixed(40960),
    ConcurrentAsyncGetReportInstances: fixed(200),
    ConcurrentEinsteinDataInsightsStoryCreation: fixed(5),
    ConcurrentEinsteinDiscoveryStoryCreation: fixed(2),
    ConcurrentSyncReportRuns: fixed(20),
    DailyAnalyticsDataflowJobExecutions: fixed(60),
    DailyAnalyticsUploadedFilesSizeMB: fixed(51200),
    DailyApiRequests: { Max: org.apiUsage.max, Remaining: org.apiUsage.remaining },
    DailyAsyncApexExecutions: fixed(250000),
    DailyAsyncApexTests: fixed(500),
    DailyBulkApiBatches: fixed(15000),
    DailyBulkV2QueryFileStorageMB: fixed(976562),
    DailyBulkV2QueryJobs: fixed(10000),
    DailyDeliveredPlatformEvents: fixed(50000),
    DailyDurableGenericStreamingApiEvents: fixed(10000),
    DailyDurableStreamingApiEvents: fixed(10000),
    DailyEinsteinDataInsightsStoryCreation: fixed(1000),
    DailyEinsteinDiscoveryPredictAPICalls: fixed(50000),
    DailyEinsteinDiscoveryPredictionsByCDC: fixed(500000),
    DailyEinsteinDiscoveryStoryCreation: fixed(100),
    DailyFunctionsApiCallLimit: fixed(235000),
    DailyGenericStreamingApiEvents: fixed(10000),
    DailyScratchOrgs: fixed(6),
    DailyStandardVolumePlatformEvents: fixed(10000),
    DailyStreamingApiEvents: fixed(10000),
    DailyWorkflowEmails: fixed(1890),
    DataStorageMB: fixed(5),
    DurableStreamingApiConcurrentClients: fixed(20),
    FileStorageMB: fixed(20),
    HourlyAsyncReportRuns: fixed(1200),
    HourlyDashboardRefreshes: fixed(200),
    HourlyDashboardResults: fixed(5000),
    HourlyDashboardStatuses: fixed(999999999),
    HourlyLongTermIdMapping: fixed(100000),
    HourlyManagedContentPublicRequests: fixed(50000),
    HourlyODataCallout: fixed(10000),
    HourlyPublishedPlatformEvents: fixed(250000),
    HourlyPublishedStandardVolumePlatformEvents: fixed(100000),
    HourlyShortTermIdMapping: fixed(100000),
    HourlySyncReportRuns: fixed(500),
    HourlyTimeBasedWorkflow: fixed(1000),
    MassEmail: fixed(5000),
    MonthlyPlatformEventsUsageEntitlement: fixed(0),
    Package2VersionCreates: fixed(6),
    Package2VersionCreatesWithoutValidation: fixed(500),
    PermissionSets: { Max: 1500, Remaining: 1500 },
    PrivateConnectOutboundCalloutHourlyLimitMB: fixed(0),
    PublishCallbackUsageInApex: fixed(5),
    SingleEmail: fixed(5000),
    StreamingApiConcurrentClients: fixed(20),
  };
  return { status: 200, body };
}
