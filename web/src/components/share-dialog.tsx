import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Command } from 'cmdk';
import { UserRound, UsersRound, X } from 'lucide-react';
import { RadioGroup } from 'radix-ui';
import { useId, useState } from 'react';
import { api } from '../lib/api.ts';
import type { Connection, Group, User } from '../lib/types.ts';
import { Modal } from './modal.tsx';
import { ErrorBanner, LoadingBlock } from './status.tsx';
import { useToast } from './toaster.tsx';

/** Who may use an organization connection: people, groups, or the whole team. Effective at once. */
export function ShareDialog({
  connection,
  open,
  onOpenChange,
}: {
  connection: Connection;
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const users = useQuery({
    queryKey: ['users'],
    queryFn: () => api<{ users: User[] }>('/users'),
    enabled: open,
  });
  const groups = useQuery({
    queryKey: ['groups'],
    queryFn: () => api<{ groups: Group[] }>('/groups'),
    enabled: open,
  });
  const [userIds, setUserIds] = useState<string[]>(connection.shares?.users ?? []);
  const [groupIds, setGroupIds] = useState<string[]>(connection.shares?.groups ?? []);
  const [team, setTeam] = useState(connection.shares?.team ?? false);
  const [search, setSearch] = useState('');
  const accessId = useId();

  const save = useMutation({
    mutationFn: () =>
      api<{ connection: Connection }>(`/connections/${encodeURIComponent(connection.id)}/shares`, {
        method: 'PUT',
        body: { users: userIds, groups: groupIds, team },
      }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['connections'] });
      toast({ title: `Sharing of ${connection.name} updated`, tone: 'success' });
      onOpenChange(false);
    },
  });

  const allUsers = (users.data?.users ?? []).filter(
    (user) => !user.disabledAt && user.id !== connection.createdBy,
  );
  const allGroups = groups.data?.groups ?? [];
  const term = search.trim().toLowerCase();
  const candidates = [
    ...allGroups
      .filter((group) => !groupIds.includes(group.id) && group.name.toLowerCase().includes(term))
      .map((group) => ({
        type: 'group' as const,
        id: group.id,
        label: group.name,
        detail: `${group.memberIds.length} members`,
      })),
    ...allUsers
      .filter(
        (user) =>
          !userIds.includes(user.id) &&
          (user.name.toLowerCase().includes(term) || user.email.toLowerCase().includes(term)),
      )
      .map((user) => ({ type: 'user' as const, id: user.id, label: user.name, detail: user.email })),
  ];

  return (
    <Modal
      open={open}
      onOpenChange={onOpenChange}
      title={`Share ${connection.name}`}
      description="People you add can send to Salesforce with this connection. Changes apply at once."
    >
      {users.isPending || groups.isPending ? <LoadingBlock label="Loading people and groups" /> : null}
      {save.isError ? <ErrorBanner title="Sharing was not saved" error={save.error} /> : null}
      <div className="stack">
        <Command label="Add people or groups" shouldFilter={false} className="share-command">
          <Command.Input
            className="picker-search bordered"
            placeholder="Add people or groups…"
            value={search}
            onValueChange={setSearch}
          />
          {/* Always rendered: the search box's aria-controls points at it. */}
          <Command.List
            className={term === '' ? 'picker-list' : 'picker-list bordered'}
            label="People and groups to add"
          >
            {term !== '' ? <Command.Empty className="picker-empty">Nobody matches.</Command.Empty> : null}
            {(term === '' ? [] : candidates).map((candidate) => (
              <Command.Item
                key={`${candidate.type}:${candidate.id}`}
                value={`${candidate.type}:${candidate.id}`}
                className="picker-item"
                onSelect={() => {
                  if (candidate.type === 'user') setUserIds((current) => [...current, candidate.id]);
                  else setGroupIds((current) => [...current, candidate.id]);
                  setSearch('');
                }}
              >
                {candidate.type === 'group' ? (
                  <UsersRound aria-hidden size={14} />
                ) : (
                  <UserRound aria-hidden size={14} />
                )}
                {candidate.label} <span className="muted">{candidate.detail}</span>
              </Command.Item>
            ))}
          </Command.List>
        </Command>
        <ul className="share-list" aria-label="People and groups with access">
          {groupIds.length + userIds.length === 0 ? <li className="muted">Nobody added yet.</li> : null}
          {groupIds.map((id) => {
            const group = allGroups.find((entry) => entry.id === id);
            return (
              <li key={`group:${id}`} className="share-entry">
                <UsersRound aria-hidden size={16} />
                <span>{group?.name ?? id}</span>
                <span className="muted">group</span>
                <button
                  type="button"
                  className="icon-button"
                  aria-label={`Remove ${group?.name ?? id}`}
                  onClick={() => setGroupIds((current) => current.filter((entry) => entry !== id))}
                >
                  <X aria-hidden size={14} />
                </button>
              </li>
            );
          })}
          {userIds.map((id) => {
            const user = allUsers.find((entry) => entry.id === id);
            return (
              <li key={`user:${id}`} className="share-entry">
                <UserRound aria-hidden size={16} />
                <span>{user?.name ?? id}</span>
                <span className="muted">{user?.email}</span>
                <button
                  type="button"
                  className="icon-button"
                  aria-label={`Remove ${user?.name ?? id}`}
                  onClick={() => setUserIds((current) => current.filter((entry) => entry !== id))}
                >
                  <X aria-hidden size={14} />
                </button>
              </li>
            );
          })}
        </ul>
        <fieldset className="choice-group">
          <legend id={accessId}>General access</legend>
          <RadioGroup.Root
            className="radio-list"
            aria-labelledby={accessId}
            value={team ? 'team' : 'restricted'}
            onValueChange={(value) => setTeam(value === 'team')}
          >
            <div className="radio-option">
              <RadioGroup.Item value="restricted" id={`${accessId}-restricted`} className="radio">
                <RadioGroup.Indicator className="radio-dot" />
              </RadioGroup.Item>
              <label htmlFor={`${accessId}-restricted`}>Only people added</label>
            </div>
            <div className="radio-option">
              <RadioGroup.Item value="team" id={`${accessId}-team`} className="radio">
                <RadioGroup.Indicator className="radio-dot" />
              </RadioGroup.Item>
              <label htmlFor={`${accessId}-team`}>Team</label>
            </div>
          </RadioGroup.Root>
        </fieldset>
        <div className="dialog-actions">
          <button type="button" className="button" onClick={() => onOpenChange(false)}>
            Cancel
          </button>
          <button
            type="button"
            className="button button-primary"
            disabled={save.isPending}
            onClick={() => save.mutate()}
          >
            {save.isPending ? 'Saving…' : 'Save'}
          </button>
        </div>
      </div>
    </Modal>
  );
}
