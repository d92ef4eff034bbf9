import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Trash2, UserPlus, UsersRound, X } from 'lucide-react';
import { type FormEvent, useId, useState } from 'react';
import { ConfirmDialog, Modal } from '../components/modal.tsx';
import { ErrorBanner, LoadingBlock } from '../components/status.tsx';
import { TableRegion } from '../components/table-region.tsx';
import { useToast } from '../components/toaster.tsx';
import { api, errorMessage } from '../lib/api.ts';
import { useUser } from '../lib/session.tsx';
import type { Group, User } from '../lib/types.ts';

function useInvalidate() {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: ['users'] }),
      queryClient.invalidateQueries({ queryKey: ['groups'] }),
    ]);
}

function AddUserDialog({ open, onOpenChange }: { open: boolean; onOpenChange: (open: boolean) => void }) {
  const invalidate = useInvalidate();
  const toast = useToast();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<'member' | 'admin'>('member');
  const [password, setPassword] = useState('');
  const id = useId();
  const create = useMutation({
    mutationFn: () =>
      api<{ user: User }>('/users', { method: 'POST', body: { name, email, role, password } }),
    onSuccess: async (answer) => {
      await invalidate();
      toast({
        title: `${answer.user.name} can now log in`,
        description: 'Give them their email and the password you set.',
        tone: 'success',
      });
      setName('');
      setEmail('');
      setPassword('');
      setRole('member');
      onOpenChange(false);
    },
  });
  function submit(event: FormEvent) {
    event.preventDefault();
    create.mutate();
  }
  return (
    <Modal
      open={open}
      onOpenChange={onOpenChange}
      title="Add a person"
      description="They log in with this email and password."
    >
      <form className="stack" onSubmit={submit}>
        {create.isError ? <ErrorBanner title="The person was not added" error={create.error} /> : null}
        <div className="field">
          <label htmlFor={`${id}-name`}>Name</label>
          <input id={`${id}-name`} required value={name} onChange={(event) => setName(event.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-email`}>Email</label>
          <input
            id={`${id}-email`}
            type="email"
            required
            value={email}
            onChange={(event) => setEmail(event.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-role`}>Role</label>
          <select
            id={`${id}-role`}
            value={role}
            onChange={(event) => setRole(event.target.value as 'member' | 'admin')}
          >
            <option value="member">Member</option>
            <option value="admin">Admin</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-password`}>Initial password</label>
          <input
            id={`${id}-password`}
            type="password"
            autoComplete="new-password"
            required
            value={password}
            onChange={(event) => setPassword(event.target.value)}
          />
        </div>
        <div className="dialog-actions">
          <button type="button" className="button" onClick={() => onOpenChange(false)}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={create.isPending}>
            Add person
          </button>
        </div>
      </form>
    </Modal>
  );
}

function UsersSection({ users }: { users: User[] }) {
  const me = useUser();
  const invalidate = useInvalidate();
  const toast = useToast();
  const [adding, setAdding] = useState(false);
  const update = useMutation({
    mutationFn: ({ id, changes }: { id: string; changes: Record<string, unknown> }) =>
      api<{ user: User }>(`/users/${encodeURIComponent(id)}`, { method: 'PATCH', body: changes }),
    onSuccess: () => invalidate(),
    onError: (error) =>
      toast({ title: 'The change was not saved', description: errorMessage(error), tone: 'error' }),
  });
  return (
    <section aria-labelledby="users-title" className="people-section">
      <div className="section-header">
        <h2 id="users-title">Users</h2>
        <button type="button" className="button button-primary" onClick={() => setAdding(true)}>
          <UserPlus aria-hidden size={16} />
          Add person
        </button>
      </div>
      <TableRegion label="People">
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Email</th>
              <th scope="col">Role</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {users.map((user) => (
              <tr key={user.id}>
                <td>{user.name}</td>
                <td>{user.email}</td>
                <td>
                  <select
                    aria-label={`Role of ${user.name}`}
                    value={user.role}
                    disabled={user.id === me.id}
                    onChange={(event) =>
                      update.mutate({ id: user.id, changes: { role: event.target.value } })
                    }
                  >
                    <option value="member">Member</option>
                    <option value="admin">Admin</option>
                  </select>
                </td>
                <td>
                  <span className={`badge ${user.disabledAt ? 'badge-muted' : 'badge-success'}`}>
                    {user.disabledAt ? 'Disabled' : 'Active'}
                  </span>{' '}
                  {user.id === me.id ? null : (
                    <button
                      type="button"
                      className="button button-small"
                      aria-label={`${user.disabledAt ? 'Enable' : 'Disable'} ${user.name}`}
                      onClick={() => update.mutate({ id: user.id, changes: { disabled: !user.disabledAt } })}
                    >
                      {user.disabledAt ? 'Enable' : 'Disable'}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableRegion>
      <AddUserDialog open={adding} onOpenChange={setAdding} />
    </section>
  );
}

function GroupCard({ group, users }: { group: Group; users: User[] }) {
  const invalidate = useInvalidate();
  const toast = useToast();
  const [deleting, setDeleting] = useState(false);
  const selectId = useId();
  const base = `/groups/${encodeURIComponent(group.id)}`;
  const onError = (error: Error) =>
    toast({ title: 'The change was not saved', description: errorMessage(error), tone: 'error' });
  const addMember = useMutation({
    mutationFn: (userId: string) => api(`${base}/members`, { method: 'POST', body: { userId } }),
    onSuccess: () => invalidate(),
    onError,
  });
  const removeMember = useMutation({
    mutationFn: (userId: string) =>
      api(`${base}/members/${encodeURIComponent(userId)}`, { method: 'DELETE' }),
    onSuccess: () => invalidate(),
    onError,
  });
  const remove = useMutation({
    mutationFn: () => api(base, { method: 'DELETE' }),
    onSuccess: () => {
      setDeleting(false);
      return invalidate();
    },
    onError,
  });
  const nonMembers = users.filter((user) => !group.memberIds.includes(user.id) && !user.disabledAt);
  return (
    <li className="card group-card" aria-labelledby={`group-${group.id}`}>
      <div className="section-header">
        <h3 id={`group-${group.id}`}>
          <UsersRound aria-hidden size={16} /> {group.name}
        </h3>
        <button
          type="button"
          className="icon-button"
          aria-label={`Delete group ${group.name}`}
          onClick={() => setDeleting(true)}
        >
          <Trash2 aria-hidden size={16} />
        </button>
      </div>
      <ul className="chips">
        {group.memberIds.length === 0 ? <li className="muted">No members yet.</li> : null}
        {group.memberIds.map((id) => {
          const member = users.find((user) => user.id === id);
          return (
            <li key={id} className="chip">
              <span className="chip-name">{member?.name ?? id}</span>
              <button
                type="button"
                className="icon-button"
                aria-label={`Remove ${member?.name ?? id} from ${group.name}`}
                onClick={() => removeMember.mutate(id)}
              >
                <X aria-hidden size={12} />
              </button>
            </li>
          );
        })}
      </ul>
      {nonMembers.length > 0 ? (
        <div className="field field-inline">
          <label htmlFor={selectId}>Add member</label>
          <select
            id={selectId}
            value=""
            onChange={(event) => {
              if (event.target.value) addMember.mutate(event.target.value);
            }}
          >
            <option value="">Choose a person…</option>
            {nonMembers.map((user) => (
              <option key={user.id} value={user.id}>
                {user.name} ({user.email})
              </option>
            ))}
          </select>
        </div>
      ) : null}
      <ConfirmDialog
        open={deleting}
        onOpenChange={setDeleting}
        title={`Delete the group ${group.name}?`}
        description="Its members lose what was shared with the group. The people themselves stay."
        confirmLabel="Delete group"
        busy={remove.isPending}
        onConfirm={() => remove.mutate()}
      />
    </li>
  );
}

function GroupsSection({ groups, users }: { groups: Group[]; users: User[] }) {
  const invalidate = useInvalidate();
  const [name, setName] = useState('');
  const nameId = useId();
  const create = useMutation({
    mutationFn: () => api('/groups', { method: 'POST', body: { name } }),
    onSuccess: async () => {
      setName('');
      await invalidate();
    },
  });
  return (
    <section aria-labelledby="groups-title" className="people-section">
      <h2 id="groups-title">Groups</h2>
      <form
        className="inline-form"
        onSubmit={(event) => {
          event.preventDefault();
          create.mutate();
        }}
      >
        <div className="field">
          <label htmlFor={nameId}>New group name</label>
          <input id={nameId} required value={name} onChange={(event) => setName(event.target.value)} />
        </div>
        <button type="submit" className="button" disabled={create.isPending || name.trim() === ''}>
          Create group
        </button>
      </form>
      {create.isError ? <ErrorBanner title="The group was not created" error={create.error} /> : null}
      {groups.length === 0 ? (
        <p className="muted">No groups yet. Groups make sharing connections easier.</p>
      ) : null}
      <ul className="group-list">
        {groups.map((group) => (
          <GroupCard key={group.id} group={group} users={users} />
        ))}
      </ul>
    </section>
  );
}

export default function PeoplePage() {
  const users = useQuery({ queryKey: ['users'], queryFn: () => api<{ users: User[] }>('/users') });
  const groups = useQuery({ queryKey: ['groups'], queryFn: () => api<{ groups: Group[] }>('/groups') });
  // By name, as a person looks for someone (the server's order is its own).
  const people = users.data ? [...users.data.users].sort((a, b) => a.name.localeCompare(b.name)) : undefined;
  return (
    <div className="page">
      <header className="page-header">
        <h1>People</h1>
      </header>
      {users.isPending || groups.isPending ? <LoadingBlock label="Loading people" /> : null}
      {users.isError ? <ErrorBanner title="People could not be loaded" error={users.error} /> : null}
      {groups.isError ? <ErrorBanner title="Groups could not be loaded" error={groups.error} /> : null}
      {people ? <UsersSection users={people} /> : null}
      {people && groups.data ? <GroupsSection groups={groups.data.groups} users={people} /> : null}
    </div>
  );
}
