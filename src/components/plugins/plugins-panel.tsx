// Plugins in Admin (admin:plugins): each plugin with its status, an enabled switch, its tools,
// how often they ran and the last error. Refreshed by the live events plugin_invoked and
// plugin_updated, so a hook that disables its plugin shows at once.
'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { PluginView } from '@/lib/plugins';
import { useLiveEvents } from '../shell/live-events';
import { useTRPC } from '../trpc';
import type { ReactNode } from 'react';
import { TimeStamp } from '../time/time-stamp';
import styles from './plugins.module.css';

const STATUS_TONE: Record<PluginView['status'], string> = { active: 'emerald', disabled: 'amber', failed: 'red' };

function formatWhen(iso: string | null): ReactNode {
  return iso ? <TimeStamp value={iso} /> : 'never';
}

export function PluginsPanel() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const plugins = useQuery(trpc.plugins.list.queryOptions());
  const { listen } = useLiveEvents();
  useEffect(
    () =>
      listen((event) => {
        if (event.type === 'plugin_invoked' || event.type === 'plugin_updated') void queryClient.invalidateQueries(trpc.plugins.list.pathFilter());
      }),
    [listen, queryClient, trpc],
  );

  return (
    <section className={`card ${styles.panel}`} aria-labelledby="plugins-title">
      <header className={styles.header}>
        <h2 id="plugins-title">Plugins {plugins.data ? <span className="muted">({plugins.data.length})</span> : null}</h2>
        <p className={styles.hint}>Tools agents call with [TOOL_CALL]; a plugin whose hook throws is switched off here.</p>
      </header>
      {plugins.error ? (
        <p className={styles.error} role="alert">
          {plugins.error.message}
        </p>
      ) : null}
      {plugins.isPending ? <p className={styles.hint}>Loading plugins…</p> : null}
      {plugins.data ? (
        <ul className={styles.list} aria-label="Plugins">
          {plugins.data.map((plugin) => (
            <PluginRow key={plugin.name} plugin={plugin} />
          ))}
        </ul>
      ) : null}
    </section>
  );
}

function PluginRow({ plugin }: { plugin: PluginView }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const setEnabled = useMutation(
    trpc.plugins.setEnabled.mutationOptions({
      onSuccess: () => void queryClient.invalidateQueries(trpc.plugins.list.pathFilter()),
    }),
  );
  const switchId = `plugin-enabled-${plugin.name}`;
  const tools = plugin.tools.map((tool) => tool.name).join(', ');

  return (
    <li className={styles.row} aria-label={`Plugin ${plugin.name}`}>
      <div className={styles.main}>
        <div className={styles.title}>
          <span>{plugin.name}</span>
          <span className={styles.badge} data-tone={STATUS_TONE[plugin.status]}>
            {plugin.status}
          </span>
          <span className={styles.badge}>{plugin.source === 'builtin' ? 'built-in' : 'from folder'}</span>
        </div>
        <p className={styles.meta}>
          {tools ? `tools: ${tools}` : 'no tools'}
          {plugin.hooks.length > 0 ? ` · hooks: ${plugin.hooks.join(', ')}` : ''}
        </p>
        <p className={styles.meta}>
          <span data-testid="plugin-invocations">{plugin.invocations}</span> invocation{plugin.invocations === 1 ? '' : 's'} · {plugin.failures} failed · last used {formatWhen(plugin.lastInvokedAt)}
        </p>
        {plugin.lastError ? (
          <p className={styles.lastError}>
            Last error ({formatWhen(plugin.lastErrorAt)}): {plugin.lastError}
          </p>
        ) : null}
      </div>
      <div className={styles.actions}>
        <label className={styles.switch} htmlFor={switchId}>
          <input
            id={switchId}
            type="checkbox"
            role="switch"
            checked={plugin.enabled}
            disabled={setEnabled.isPending}
            onChange={(event) => setEnabled.mutate({ name: plugin.name, enabled: event.target.checked })}
          />
          Enabled
        </label>
      </div>
      {plugin.status === 'failed' && plugin.enabled ? <p className={`${styles.meta} ${styles.full}`}>Its setup failed: fix it and restart the hub to load it again.</p> : null}
      {setEnabled.error ? (
        <p className={`${styles.error} ${styles.full}`} role="alert">
          {setEnabled.error.message}
        </p>
      ) : null}
    </li>
  );
}
