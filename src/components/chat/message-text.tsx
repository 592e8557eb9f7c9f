// A message's text, rendered as markdown (markdown.ts: a tree, never HTML, links only to safe
// addresses), with the hub's task references shown as the tasks' titles, web addresses and
// `/tasks` paths made clickable, and status emoji drawn as themed glyphs.
import Link from 'next/link';
import type { CSSProperties } from 'react';
import { parseMarkdown, type Block, type Inline } from './markdown';
import { tokenizeMessage, type MessageToken } from './message-tokens';
import { STATUS_GLYPHS } from './status-glyphs';
import { TaskReference } from './task-titles';
import styles from './chat.module.css';

function Token({ token }: { token: MessageToken }) {
  switch (token.kind) {
    case 'text':
      return token.value;
    case 'task_ref':
      return <TaskReference taskId={token.value} />;
    case 'task_link':
      return <Link href={token.value}>{token.value}</Link>;
    case 'url':
      return (
        <a href={token.value} target="_blank" rel="noopener noreferrer">
          {token.value}
        </a>
      );
    case 'status': {
      const status = STATUS_GLYPHS[token.value]!;
      return (
        <span className={styles.glyph} style={{ '--glyph': status.colour } as CSSProperties} role="img" aria-label={status.label} title={status.label}>
          {status.glyph}
        </span>
      );
    }
  }
}

function Inlines({ nodes, inLink = false }: { nodes: readonly Inline[]; inLink?: boolean }) {
  return nodes.map((node, index) => {
    switch (node.kind) {
      case 'text':
        // Inside a link, no nested links: the text stays text.
        return inLink ? node.text : tokenizeMessage(node.text).map((token, tokenIndex) => <Token key={`${index}-${tokenIndex}`} token={token} />);
      case 'code':
        return <code key={index}>{node.text}</code>;
      case 'strong':
        return (
          <strong key={index}>
            <Inlines nodes={node.children} inLink={inLink} />
          </strong>
        );
      case 'em':
        return (
          <em key={index}>
            <Inlines nodes={node.children} inLink={inLink} />
          </em>
        );
      case 'link':
        return node.href.startsWith('/') ? (
          <Link key={index} href={node.href}>
            <Inlines nodes={node.children} inLink />
          </Link>
        ) : (
          <a key={index} href={node.href} target="_blank" rel="noopener noreferrer">
            <Inlines nodes={node.children} inLink />
          </a>
        );
    }
  });
}

function Blocks({ blocks }: { blocks: readonly Block[] }) {
  return blocks.map((block, index) => {
    switch (block.kind) {
      case 'paragraph':
        return (
          <p key={index}>
            <Inlines nodes={block.children} />
          </p>
        );
      case 'heading': {
        const Heading = (['h3', 'h4', 'h5'] as const)[block.level - 1]!;
        return (
          <Heading key={index}>
            <Inlines nodes={block.children} />
          </Heading>
        );
      }
      case 'code':
        return (
          <pre key={index} data-language={block.language || undefined}>
            <code>{block.text}</code>
          </pre>
        );
      case 'list': {
        const items = block.items.map((item, itemIndex) => (
          <li key={itemIndex}>
            <Inlines nodes={item} />
          </li>
        ));
        return block.ordered ? (
          <ol key={index} start={block.start}>
            {items}
          </ol>
        ) : (
          <ul key={index}>{items}</ul>
        );
      }
      case 'quote':
        return (
          <blockquote key={index}>
            <Blocks blocks={block.children} />
          </blockquote>
        );
    }
  });
}

export function MessageText({ text, className }: { text: string; className?: string }) {
  return (
    <div className={`${className ?? ''} ${styles.markdown}`}>
      <Blocks blocks={parseMarkdown(text)} />
    </div>
  );
}
