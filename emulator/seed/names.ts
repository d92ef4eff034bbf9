/**
 * Word pools for the seed data. Companies are invented; their domains use the reserved `.example`
 * top-level domain and their phone numbers the fictional 555-01xx (US/Canada) and 0118 496 0xxx
 * (UK drama) ranges, so nothing an agent reads from the demo org points at a real person or business.
 */

export interface CompanyProfile {
  name: string;
  domain: string;
  industry: string;
  city: string;
  state: string;
  country: string;
  /** Builds a phone number in the company's region from a 4-digit line number. */
  phone: (line: number) => string;
}

function usPhone(areaCode: string): (line: number) => string {
  return (line) => `(${areaCode}) 555-01${String(line % 100).padStart(2, '0')}`;
}

function ukPhone(areaCode: string): (line: number) => string {
  return (line) => `+44 ${areaCode} 496 0${String(line % 1000).padStart(3, '0')}`;
}

function us(name: string, domain: string, industry: string, city: string, state: string, areaCode: string) {
  return { name, domain, industry, city, state, country: 'United States', phone: usPhone(areaCode) };
}

function canada(
  name: string,
  domain: string,
  industry: string,
  city: string,
  state: string,
  areaCode: string,
) {
  return { name, domain, industry, city, state, country: 'Canada', phone: usPhone(areaCode) };
}

function uk(name: string, domain: string, industry: string, city: string, county: string, areaCode: string) {
  return { name, domain, industry, city, state: county, country: 'United Kingdom', phone: ukPhone(areaCode) };
}

export const COMPANIES: readonly CompanyProfile[] = [
  us('Northwind Traders', 'northwindtraders.example', 'Food & Beverage', 'Seattle', 'WA', '206'),
  us('Blue Harbor Logistics', 'blueharbor.example', 'Transportation', 'Long Beach', 'CA', '562'),
  us('Cedar Ridge Health', 'cedarridgehealth.example', 'Healthcare', 'Denver', 'CO', '303'),
  us('Brightline Robotics', 'brightlinerobotics.example', 'Electronics', 'Pittsburgh', 'PA', '412'),
  us('Summit Peak Financial', 'summitpeak.example', 'Finance', 'Charlotte', 'NC', '704'),
  us('Granite State Energy', 'granitestateenergy.example', 'Energy', 'Manchester', 'NH', '603'),
  us('Pinecrest Software', 'pinecrest.example', 'Technology', 'Austin', 'TX', '512'),
  us('Redwood Apparel Co.', 'redwoodapparel.example', 'Apparel', 'Portland', 'OR', '503'),
  us('Lakeshore Insurance Group', 'lakeshoreinsurance.example', 'Insurance', 'Chicago', 'IL', '312'),
  us('Meridian Telecom', 'meridiantelecom.example', 'Telecommunications', 'Atlanta', 'GA', '404'),
  us('Vantage Point Media', 'vantagepointmedia.example', 'Media', 'New York', 'NY', '212'),
  us('Ironclad Construction', 'ironcladbuild.example', 'Construction', 'Phoenix', 'AZ', '602'),
  us('Silverline Biotech', 'silverlinebio.example', 'Biotechnology', 'San Diego', 'CA', '619'),
  us('Harborview Hospitality', 'harborviewhotels.example', 'Hospitality', 'Miami', 'FL', '305'),
  us('Keystone Manufacturing', 'keystonemfg.example', 'Manufacturing', 'Cleveland', 'OH', '216'),
  us('Evergreen Learning Partners', 'evergreenlearning.example', 'Education', 'Minneapolis', 'MN', '612'),
  us('Atlas Shipping Lines', 'atlasshipping.example', 'Shipping', 'Houston', 'TX', '713'),
  canada('Maple Leaf Outfitters', 'mapleleafoutfitters.example', 'Retail', 'Toronto', 'ON', '416'),
  uk('Thames Valley Consulting', 'thamesvalley.example', 'Consulting', 'Reading', 'Berkshire', '118'),
  us('Clearwater Utilities', 'clearwaterutilities.example', 'Utilities', 'Tampa', 'FL', '813'),
];

/** Companies that appear only as Leads (prospects not yet qualified into Accounts). */
export const LEAD_COMPANIES: readonly CompanyProfile[] = [
  us('Quarry Hill Analytics', 'quarryhill.example', 'Technology', 'Boston', 'MA', '617'),
  us('Sunbelt Solar', 'sunbeltsolar.example', 'Energy', 'Las Vegas', 'NV', '702'),
  us('Foxglove Foods', 'foxglovefoods.example', 'Food & Beverage', 'Madison', 'WI', '608'),
  us('Orchard Street Dental', 'orcharddental.example', 'Healthcare', 'Sacramento', 'CA', '916'),
  us('Tidewater Marine Supply', 'tidewatermarine.example', 'Shipping', 'Norfolk', 'VA', '757'),
  us('Copperline Fabrication', 'copperline.example', 'Manufacturing', 'Milwaukee', 'WI', '414'),
  us('Beacon Hill Realty', 'beaconhillrealty.example', 'Other', 'Boston', 'MA', '617'),
  us('Prairie Wind Credit Union', 'prairiewindcu.example', 'Banking', 'Omaha', 'NE', '402'),
  us('Nimbus Cloudworks', 'nimbuscloud.example', 'Technology', 'Raleigh', 'NC', '919'),
  us('Highland Veterinary Group', 'highlandvet.example', 'Healthcare', 'Nashville', 'TN', '615'),
  us('Stonebridge Architects', 'stonebridgearch.example', 'Engineering', 'Salt Lake City', 'UT', '801'),
  us('Lumen Event Productions', 'lumenevents.example', 'Entertainment', 'Los Angeles', 'CA', '213'),
  uk('Glasgow Fintech Labs', 'glasgowfintech.example', 'Finance', 'Glasgow', 'Scotland', '141'),
  us('Riverbend Charter Schools', 'riverbendschools.example', 'Education', 'St. Louis', 'MO', '314'),
];

export const FIRST_NAMES: readonly string[] = [
  'Maria',
  'James',
  'Priya',
  'Daniel',
  'Aisha',
  'Michael',
  'Sofia',
  'David',
  'Mei',
  'Robert',
  'Fatima',
  'Carlos',
  'Emily',
  'Kenji',
  'Olivia',
  'Ahmed',
  'Grace',
  'Lucas',
  'Hannah',
  'Mateo',
  'Chloe',
  'Samuel',
  'Isabella',
  'Raj',
  'Natalie',
  'Thomas',
  'Zoe',
  'Andre',
  'Leah',
  'Victor',
  'Nora',
  'Ethan',
  'Camila',
  'Jonah',
  'Ingrid',
  'Omar',
  'Rachel',
  'Diego',
  'Yuki',
  'Patrick',
];

export const LAST_NAMES: readonly string[] = [
  'Garcia',
  'Chen',
  'Patel',
  'Johnson',
  'Okafor',
  'Williams',
  'Rossi',
  'Kim',
  'Nguyen',
  'Brown',
  'Haddad',
  'Martinez',
  'Schmidt',
  'Tanaka',
  'Murphy',
  'Singh',
  'Lopez',
  'Anderson',
  'Kowalski',
  'Silva',
  'Dubois',
  'Cohen',
  'Hughes',
  'Reyes',
  'Larsen',
  "O'Brien",
  'Mensah',
  'Fischer',
  'Novak',
  'Bennett',
  'Ortiz',
  'Walsh',
  'Yamamoto',
  'Carter',
  'Ibrahim',
  'Foster',
  'Moreau',
  'Sato',
  'Park',
  'Hansen',
];

/** Buyer-side titles: the first of a company's contacts is the senior one (the primary contact role). */
export const SENIOR_TITLES: readonly string[] = [
  'Chief Financial Officer',
  'Chief Technology Officer',
  'VP of Operations',
  'VP of Sales',
  'Head of Procurement',
  'Director of IT',
  'Chief Operating Officer',
];

export const STAFF_TITLES: readonly string[] = [
  'Procurement Manager',
  'IT Manager',
  'Operations Analyst',
  'Senior Buyer',
  'Solutions Architect',
  'Sales Operations Manager',
  'Finance Manager',
  'Project Manager',
  'Systems Administrator',
  'Office Manager',
];

/** Departments matching the titles above, by keyword. */
export function departmentFor(title: string): string {
  if (/Financ|CFO/.test(title)) return 'Finance';
  if (/Technology|IT|Architect|Systems/.test(title)) return 'IT';
  if (/Procurement|Buyer/.test(title)) return 'Procurement';
  if (/Sales/.test(title)) return 'Sales';
  return 'Operations';
}

export const PRODUCTS: readonly string[] = [
  'Platform Expansion',
  'Annual Renewal',
  'Analytics Add-on',
  'Premier Support Upgrade',
  'Pilot Program',
  'Enterprise License',
  'Integration Services',
  '250 Additional Seats',
  'Data Migration Project',
  'Mobile Rollout',
];

export const NEXT_STEPS: readonly string[] = [
  'Schedule technical deep dive',
  'Send revised pricing',
  'Security review with IT',
  'Executive sponsor meeting',
  'Legal review of MSA',
  'Confirm budget with finance',
  'Demo for the wider team',
];

export interface CaseTemplate {
  subject: string;
  description: string;
  reason: string;
}

export const CASE_TEMPLATES: readonly CaseTemplate[] = [
  {
    subject: 'Unable to log in after password reset',
    description: 'User reports the reset link expires before it can be used.',
    reason: 'Other',
  },
  {
    subject: 'Invoice shows incorrect tax amount',
    description: 'The March invoice applied the wrong state sales tax rate.',
    reason: 'Feedback',
  },
  {
    subject: 'Nightly data export times out',
    description: 'The scheduled export fails after 30 minutes with a timeout error.',
    reason: 'Performance',
  },
  {
    subject: 'Request for additional user licenses',
    description: 'Customer needs 25 more licenses for a new regional team.',
    reason: 'Other',
  },
  {
    subject: 'Integration sync failing with 500 errors',
    description: 'ERP sync has returned HTTP 500 since the weekend maintenance window.',
    reason: 'Breakdown',
  },
  {
    subject: 'Dashboard not loading in Safari',
    description: 'Charts render blank in Safari 17; Chrome works.',
    reason: 'Performance',
  },
  {
    subject: 'Help configuring single sign-on',
    description: 'Customer is moving to a new identity provider and needs SAML settings.',
    reason: 'Installation',
  },
  {
    subject: 'Question about renewal terms',
    description: 'Customer asks whether multi-year pricing can be locked in at renewal.',
    reason: 'Feedback',
  },
  {
    subject: 'API rate limit exceeded during batch import',
    description: 'Bulk import hits the daily API limit halfway through.',
    reason: 'Equipment Complexity',
  },
  {
    subject: 'Shipment tracking not updating',
    description: 'Tracking numbers stay in "label created" for delivered orders.',
    reason: 'Breakdown',
  },
];

export const TASK_SUBJECTS: readonly string[] = [
  'Call',
  'Email',
  'Send Quote',
  'Follow up on proposal',
  'Check in on renewal',
  'Send contract for signature',
  'Share case study',
  'Confirm meeting agenda',
];

export const EVENT_SUBJECTS: readonly string[] = [
  'Discovery call',
  'Product demo',
  'Quarterly business review',
  'Pricing negotiation',
  'Onsite workshop',
  'Executive briefing',
];

export const MEETING_LOCATIONS: readonly string[] = [
  'Zoom',
  'Google Meet',
  'Microsoft Teams',
  'Customer office',
];

/** Bulk seeding: company name parts, combined (20 × 25 × 8) into 4,000 distinct names. */
export const BULK_COMPANY_WORDS: readonly string[] = [
  'Acme',
  'Apex',
  'Beacon',
  'Cascade',
  'Delta',
  'Echo',
  'Falcon',
  'Granite',
  'Harbor',
  'Horizon',
  'Juniper',
  'Keystone',
  'Lumen',
  'Meridian',
  'Nimbus',
  'Orion',
  'Pioneer',
  'Quantum',
  'Summit',
  'Vertex',
];

export const BULK_COMPANY_KINDS: readonly string[] = [
  'Analytics',
  'Systems',
  'Logistics',
  'Foods',
  'Health',
  'Energy',
  'Labs',
  'Media',
  'Robotics',
  'Software',
  'Capital',
  'Networks',
  'Outfitters',
  'Materials',
  'Dynamics',
  'Solutions',
  'Partners',
  'Motors',
  'Textiles',
  'Pharma',
  'Security',
  'Ventures',
  'Foundry',
  'Telecom',
  'Insurance',
];

export const BULK_COMPANY_SUFFIXES: readonly string[] = [
  'Inc.',
  'LLC',
  'Ltd.',
  'Group',
  'Co.',
  'Holdings',
  'Corp.',
  'International',
];

/** Bulk seeding: surname parts, combined (25 × 5 × 20) into 2,500 distinct surnames, as real ones spread out. */
export const SURNAME_STARTS: readonly string[] = [
  'Al',
  'Bren',
  'Cor',
  'Dal',
  'Ev',
  'Fen',
  'Gar',
  'Hal',
  'Is',
  'Jor',
  'Kel',
  'Lan',
  'Mar',
  'Nor',
  'Or',
  'Pel',
  'Quin',
  'Ros',
  'Sel',
  'Tor',
  'Ul',
  'Van',
  'Wes',
  'Yor',
  'Zel',
];
export const SURNAME_MIDDLES: readonly string[] = ['', 'a', 'e', 'i', 'o'];
export const SURNAME_ENDS: readonly string[] = [
  'berg',
  'by',
  'den',
  'ford',
  'gard',
  'ham',
  'ley',
  'man',
  'more',
  'ner',
  'rick',
  'son',
  'ton',
  'well',
  'wood',
  'ski',
  'vic',
  'ini',
  'sen',
  'dale',
];
