// The admin page: users (admin:users) and agent tokens (admin:tokens). A principal holding
// neither sees only a "not allowed" notice: no lists, no buttons.
'use client';
import { can, useMe } from '../shell/app-shell';
import { PluginsPanel } from '../plugins/plugins-panel';
import { ApiKeysPanel } from './api-keys-panel';
import { TokensPanel } from './tokens-panel';
import { WebhooksPanel } from './webhooks-panel';
import { UsersPanel } from './users-panel';
import styles from './admin.module.css';

export function AdminScreen() {
  const me = useMe();
  const manageUsers = can(me, 'admin:users');
  const manageTokens = can(me, 'admin:tokens');

  if (!manageUsers && !manageTokens) {
    return (
      <div className={styles.page}>
        <section className={`card ${styles.notAllowed}`} role="alert" aria-labelledby="not-allowed-title">
          <h2 id="not-allowed-title">Not allowed</h2>
          <p>
            Signed in as {me.name} ({me.role ?? me.kind}). Managing users and agent tokens needs the admin:users or admin:tokens permission.
          </p>
          <p className="muted">Ask an admin of this hub if you need access.</p>
        </section>
      </div>
    );
  }

  return (
    <div className={styles.page}>
      <h1 className={styles.title}>Admin</h1>
      {manageUsers ? <UsersPanel myName={me.name} /> : null}
      {manageTokens ? <TokensPanel isMaster={me.kind === 'master'} /> : null}
      {manageTokens ? <ApiKeysPanel isMaster={me.kind === 'master'} /> : null}
      {can(me, 'admin:webhooks') ? <WebhooksPanel /> : null}
      {can(me, 'admin:plugins') ? <PluginsPanel /> : null}
    </div>
  );
}
