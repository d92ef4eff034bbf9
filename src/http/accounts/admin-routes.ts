import type { Context } from 'hono';
import { z } from 'zod';
import {
  addGroupMember,
  createGroup,
  deleteGroup,
  type Group,
  getGroup,
  groupNameSchema,
  listGroups,
  removeGroupMember,
  renameGroup,
  setGroupMembers,
} from '../../accounts/groups.ts';
import { newPasswordSchema } from '../../accounts/passwords.ts';
import { toPublicUser } from '../../accounts/types.ts';
import {
  createUser,
  emailSchema,
  getUserRow,
  listUsers,
  nameSchema,
  roleSchema,
  updateUser,
} from '../../accounts/users.ts';
import { audited, noAudit } from '../../audit/audit-actions.ts';
import { type AuditActor, auditActorOf } from '../../core/actor.ts';
import { badRequest } from '../../core/errors.ts';
import type { ServiceContext } from '../../platform/service-context.ts';
import { currentUser, requireAdmin } from '../auth-middleware.ts';
import type { AppEnvironment } from '../auth-types.ts';
import { DeclaredRoutes } from '../declared-routes.ts';
import { readJsonBody } from '../request-body.ts';

const idSchema = z.string().min(1).max(64);

const newUserSchema = z.strictObject({
  email: emailSchema,
  name: nameSchema,
  role: roleSchema.default('member'),
  password: newPasswordSchema,
});

const userChangesSchema = z.strictObject({
  name: nameSchema.optional(),
  role: roleSchema.optional(),
  disabled: z.boolean().optional(),
  password: newPasswordSchema.optional(),
});

const groupSchema = z.strictObject({ name: groupNameSchema });
const membersSchema = z.strictObject({ userIds: z.array(idSchema).max(10_000) });
const memberSchema = z.strictObject({ userId: idSchema });

/** A route that changes the group `:id` as its JSON body says, and answers the group. */
function groupChange<Schema extends z.ZodType>(
  schema: Schema,
  change: (groupId: string, body: z.output<Schema>, actor: AuditActor) => Promise<Group>,
) {
  return async (context: Context<AppEnvironment, '/groups/:id'>) => {
    const body = await readJsonBody(context, schema);
    const group = await change(context.req.param('id'), body, auditActorOf(currentUser(context)));
    return context.json({ group });
  };
}

/** Managing people and groups: admins only (members get 403 on every route here). */
export function adminRoutes(service: ServiceContext): DeclaredRoutes<AppEnvironment> {
  return new DeclaredRoutes<AppEnvironment>()
    .route('/', userRoutes(service))
    .route('/', groupRoutes(service));
}

function userRoutes(service: ServiceContext): DeclaredRoutes<AppEnvironment> {
  const routes = new DeclaredRoutes<AppEnvironment>();

  routes.get('/users', noAudit('a read: nothing changes'), requireAdmin, async (context) =>
    context.json({ users: await listUsers(service.store) }),
  );

  routes.post('/users', audited('user.created'), requireAdmin, async (context) => {
    const body = await readJsonBody(context, newUserSchema);
    const user = await createUser(service, body, auditActorOf(currentUser(context)));
    return context.json({ user }, 201);
  });

  routes.get('/users/:id', noAudit('a read: nothing changes'), requireAdmin, async (context) => {
    const row = await getUserRow(service.store, context.req.param('id'));
    return context.json({ user: toPublicUser(row) });
  });

  routes.patch(
    '/users/:id',
    audited('user.updated', 'user.disabled', 'user.enabled', 'user.password_reset'),
    requireAdmin,
    async (context) => {
      const body = await readJsonBody(context, userChangesSchema);
      if (Object.keys(body).length === 0)
        throw badRequest('Send at least one of name, role, disabled, password.');
      const user = await updateUser(
        service,
        context.req.param('id'),
        body,
        auditActorOf(currentUser(context)),
      );
      return context.json({ user });
    },
  );

  return routes;
}

function groupRoutes(service: ServiceContext): DeclaredRoutes<AppEnvironment> {
  const routes = new DeclaredRoutes<AppEnvironment>();

  routes.get('/groups', noAudit('a read: nothing changes'), requireAdmin, async (context) =>
    context.json({ groups: await listGroups(service.store) }),
  );

  routes.post('/groups', audited('group.created'), requireAdmin, async (context) => {
    const body = await readJsonBody(context, groupSchema);
    const group = await createGroup(service, body.name, auditActorOf(currentUser(context)));
    return context.json({ group }, 201);
  });

  routes.get('/groups/:id', noAudit('a read: nothing changes'), requireAdmin, async (context) =>
    context.json({ group: await getGroup(service.store, context.req.param('id')) }),
  );

  routes.patch(
    '/groups/:id',
    audited('group.renamed'),
    requireAdmin,
    groupChange(groupSchema, (groupId, body, actor) => renameGroup(service, groupId, body.name, actor)),
  );

  routes.delete('/groups/:id', audited('group.deleted'), requireAdmin, async (context) => {
    await deleteGroup(service, context.req.param('id'), auditActorOf(currentUser(context)));
    return context.body(null, 204);
  });

  routes.put(
    '/groups/:id/members',
    audited('group.members_replaced'),
    requireAdmin,
    groupChange(membersSchema, (groupId, body, actor) =>
      setGroupMembers(service, groupId, body.userIds, actor),
    ),
  );

  routes.post(
    '/groups/:id/members',
    audited('group.member_added'),
    requireAdmin,
    groupChange(memberSchema, (groupId, body, actor) => addGroupMember(service, groupId, body.userId, actor)),
  );

  routes.delete(
    '/groups/:id/members/:userId',
    audited('group.member_removed'),
    requireAdmin,
    async (context) => {
      await removeGroupMember(
        service,
        context.req.param('id'),
        context.req.param('userId'),
        auditActorOf(currentUser(context)),
      );
      return context.body(null, 204);
    },
  );

  return routes;
}
