import { z } from 'zod';
import type { Field, Schema } from '../schema/schema.ts';

/**
 * Profiles: what a user may do per object (Salesforce's object permissions) and per field
 * (field-level security). The three built-ins mirror Salesforce's standard profiles closely enough
 * for "the org says no" to be testable; custom profiles are data, validated with zod.
 */

/** Salesforce's six object permissions (PermissionsCreate, …, PermissionsModifyAllRecords). */
export interface ObjectPermissions {
  create: boolean;
  read: boolean;
  edit: boolean;
  delete: boolean;
  viewAll: boolean;
  modifyAll: boolean;
}

export interface FieldPermissions {
  readable: boolean;
  editable: boolean;
}

const objectPermissionsSchema = z
  .object({
    create: z.boolean().default(false),
    read: z.boolean().default(false),
    edit: z.boolean().default(false),
    delete: z.boolean().default(false),
    viewAll: z.boolean().default(false),
    modifyAll: z.boolean().default(false),
  })
  .strict();

const fieldPermissionsSchema = z
  .object({ readable: z.boolean(), editable: z.boolean().default(false) })
  .strict();

export const profileDefinitionSchema = z
  .object({
    name: z.string().trim().min(1).max(255),
    description: z.string().max(255).optional(),
    /** Start from this profile's permissions (a built-in or an earlier custom profile). */
    basedOn: z.string().optional(),
    viewAllData: z.boolean().optional(),
    modifyAllData: z.boolean().optional(),
    /** Object API name → permissions. An entry replaces the base profile's entry for that object. */
    objects: z.record(z.string(), objectPermissionsSchema).default({}),
    /**
     * `Object.Field` → field-level security. Fields not listed keep the access their object gives;
     * list a field to hide it (`readable: false`) or make it read-only (`editable: false`).
     */
    fields: z
      .record(z.string().regex(/^\w+\.\w+$/, 'expected Object.Field'), fieldPermissionsSchema)
      .default({}),
  })
  .strict();

/** A custom profile as given in OrgOptions.profiles (zod input: omitted booleans are false). */
export type ProfileDefinition = z.input<typeof profileDefinitionSchema>;

/** A profile with its permissions resolved: implications applied, names canonical. */
export interface Profile {
  name: string;
  description: string | null;
  viewAllData: boolean;
  modifyAllData: boolean;
  /** Canonical object name → permissions; objects absent here have none. */
  objects: Map<string, ObjectPermissions>;
  /** Canonical object name → canonical field name → permissions; absent fields follow the object. */
  fields: Map<string, Map<string, FieldPermissions>>;
}

export const SYSTEM_ADMINISTRATOR = 'System Administrator';
export const STANDARD_USER = 'Standard User';
export const READ_ONLY = 'Read Only';

/**
 * Salesforce's dependencies between object permissions: create, edit and View All need read;
 * delete needs edit; Modify All needs everything. Applying them here means a definition cannot
 * describe a combination the Setup UI would refuse.
 */
export function normalizePermissions(permissions: ObjectPermissions): ObjectPermissions {
  const modifyAll = permissions.modifyAll;
  const viewAll = permissions.viewAll || modifyAll;
  const remove = permissions.delete || modifyAll;
  const edit = permissions.edit || remove;
  const read = permissions.read || permissions.create || edit || viewAll;
  return { create: permissions.create || modifyAll, read, edit, delete: remove, viewAll, modifyAll };
}

const ALL: ObjectPermissions = {
  create: true,
  read: true,
  edit: true,
  delete: true,
  viewAll: true,
  modifyAll: true,
};
const CRUD: ObjectPermissions = { ...ALL, viewAll: false, modifyAll: false };
const CRE: ObjectPermissions = { ...CRUD, delete: false };
const READ: ObjectPermissions = { ...CRUD, create: false, edit: false, delete: false };

/** The objects a sales rep works with (records, activities, notes); the rest is system data. */
export const SALES_OBJECTS = [
  'Account',
  'Contact',
  'Lead',
  'Opportunity',
  'OpportunityContactRole',
  'Case',
  'Task',
  'Event',
  'Note',
  'ContentNote',
  'ContentDocument',
  'ContentDocumentLink',
];

/** Objects every profile reads whatever it lists (Salesforce gives no profile a way to hide them). */
export const ALWAYS_READABLE = ['User', 'Organization', 'Profile'];

/** The built-in profiles treat custom objects as they treat the sales objects. */
function isCustomObject(objectName: string): boolean {
  return objectName.endsWith('__c');
}

/** The built-in profiles over an org's object names. */
export function builtInProfiles(objectNames: string[]): Profile[] {
  const permissions = (choose: (objectName: string) => ObjectPermissions | undefined) => {
    const objects = new Map<string, ObjectPermissions>();
    for (const objectName of objectNames) {
      const chosen = choose(objectName);
      if (chosen) objects.set(objectName, chosen);
    }
    return objects;
  };
  return [
    {
      name: SYSTEM_ADMINISTRATOR,
      description: 'View All Data and Modify All Data: every object, every record, every field.',
      viewAllData: true,
      modifyAllData: true,
      objects: permissions(() => ALL),
      fields: new Map(),
    },
    {
      name: STANDARD_USER,
      description: 'Create, read and edit the sales objects; no delete on Account and Opportunity.',
      viewAllData: false,
      modifyAllData: false,
      objects: permissions((objectName) =>
        objectName === 'Account' || objectName === 'Opportunity'
          ? CRE
          : SALES_OBJECTS.includes(objectName) || isCustomObject(objectName)
            ? CRUD
            : undefined,
      ),
      fields: new Map(),
    },
    {
      name: READ_ONLY,
      description: 'Reads the sales objects; creates, edits and deletes nothing.',
      viewAllData: false,
      modifyAllData: false,
      objects: permissions((objectName) =>
        SALES_OBJECTS.includes(objectName) || isCustomObject(objectName) ? READ : undefined,
      ),
      fields: new Map(),
    },
  ];
}

/** The demo's custom profile: a Standard User who may not see deal sizes nor support cases. */
export const SALES_CONTRACTOR: ProfileDefinition = {
  name: 'Sales Contractor',
  description: 'Standard User without Case access and without Opportunity.Amount.',
  basedOn: STANDARD_USER,
  objects: { Case: {} },
  fields: { 'Opportunity.Amount': { readable: false } },
};

/** Custom profiles every org has unless it redefines them (the demo user dave has this one). */
export const DEFAULT_CUSTOM_PROFILES: ProfileDefinition[] = [SALES_CONTRACTOR];

const UNRESTRICTABLE_FIELDS = new Set([
  'Id',
  'IsDeleted',
  'CreatedDate',
  'CreatedById',
  'LastModifiedDate',
  'LastModifiedById',
  'SystemModstamp',
  'OwnerId',
]);

/**
 * Whether field-level security applies to a field. Salesforce keeps system, owner, name and
 * required fields visible to every profile (they are not "permissionable"), so a profile that
 * tried to hide them would be refused by Setup; the emulator refuses it at startup.
 */
export function isRestrictableField(field: Field): boolean {
  return !UNRESTRICTABLE_FIELDS.has(field.name) && field.nillable && field.nameField !== true;
}

/**
 * Resolves a custom profile definition against the schema: object and field names are checked
 * (case-insensitively) and made canonical, and a `basedOn` profile's permissions are the start.
 * Throws an Error naming the problem, since a bad definition is a configuration mistake.
 */
export function resolveProfileDefinition(
  schema: Schema,
  input: ProfileDefinition,
  known: ReadonlyMap<string, Profile>,
): Profile {
  const parsed = profileDefinitionSchema.safeParse(input);
  if (!parsed.success) {
    throw new Error(
      `Invalid profile definition ${JSON.stringify(input?.name)}: ${z.prettifyError(parsed.error)}`,
    );
  }
  const definition = parsed.data;
  const where = `profile '${definition.name}'`;
  let base: Profile | undefined;
  if (definition.basedOn !== undefined) {
    base = known.get(definition.basedOn);
    if (!base) throw new Error(`${where}: basedOn names no known profile '${definition.basedOn}'`);
  }
  const objects = new Map(base?.objects ?? []);
  for (const [objectName, permissions] of Object.entries(definition.objects)) {
    const object = schema.object(objectName);
    if (!object) throw new Error(`${where}: no object '${objectName}'`);
    objects.set(object.name, normalizePermissions(permissions));
  }
  const fields = new Map<string, Map<string, FieldPermissions>>();
  for (const [objectName, byField] of base?.fields ?? []) fields.set(objectName, new Map(byField));
  for (const [path, permissions] of Object.entries(definition.fields)) {
    const [objectName, fieldName] = path.split('.');
    const field = schema.field(objectName, fieldName);
    if (!field) throw new Error(`${where}: no field '${path}'`);
    if (!isRestrictableField(field)) {
      throw new Error(
        `${where}: field-level security does not apply to ${path} (system, name or required field)`,
      );
    }
    const object = schema.object(objectName)!;
    let byField = fields.get(object.name);
    if (!byField) {
      byField = new Map();
      fields.set(object.name, byField);
    }
    // Editable implies readable, as in Setup's field accessibility grid.
    byField.set(field.name, {
      readable: permissions.readable || permissions.editable,
      editable: permissions.editable,
    });
  }
  return {
    name: definition.name,
    description: definition.description ?? base?.description ?? null,
    viewAllData: definition.viewAllData ?? base?.viewAllData ?? false,
    modifyAllData: definition.modifyAllData ?? base?.modifyAllData ?? false,
    objects,
    fields,
  };
}
