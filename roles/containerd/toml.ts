/** Minimal, section-aware edits of containerd's generated config.toml (never a hand-written file). */

/** Set `key = value` inside `[section]` (added under the header when missing). */
export function setTomlKey(text: string, section: string, key: string, value: string): string {
  const lines = text.split('\n');
  const header = lines.findIndex((l) => l.trim() === `[${section}]`);
  if (header < 0) return `${text.replace(/\n*$/, '\n')}\n[${section}]\n  ${key} = ${value}\n`;
  let end = lines.length;
  for (let i = header + 1; i < lines.length; i++) {
    if (/^\s*\[/.test(lines[i])) {
      end = i;
      break;
    }
  }
  const keyRe = new RegExp(`^(\\s*)${key.replace(/[.]/g, '\\.')}\\s*=`);
  for (let i = header + 1; i < end; i++) {
    const m = keyRe.exec(lines[i]);
    if (m) {
      lines[i] = `${m[1]}${key} = ${value}`;
      return lines.join('\n');
    }
  }
  const indent = /^(\s*)/.exec(lines[header])![1];
  lines.splice(header + 1, 0, `${indent}  ${key} = ${value}`);
  return lines.join('\n');
}

export interface ContainerdSettings {
  sandboxImage: string;
  registryConfigPath: string;
}

/** Patch `containerd config default` output for Kubernetes: config version 2 (1.x) or 3 (2.x). */
export function patchContainerdConfig(defaults: string, s: ContainerdSettings): string {
  const version = Number(/^version\s*=\s*(\d+)/m.exec(defaults)?.[1] ?? 2);
  let text = defaults;
  if (version >= 3) {
    text = setTomlKey(
      text,
      "plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc.options",
      'SystemdCgroup',
      'true',
    );
    text = setTomlKey(
      text,
      "plugins.'io.containerd.cri.v1.images'.pinned_images",
      'sandbox',
      `'${s.sandboxImage}'`,
    );
    text = setTomlKey(
      text,
      "plugins.'io.containerd.cri.v1.images'.registry",
      'config_path',
      `'${s.registryConfigPath}'`,
    );
  } else {
    text = setTomlKey(
      text,
      'plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options',
      'SystemdCgroup',
      'true',
    );
    text = setTomlKey(text, 'plugins."io.containerd.grpc.v1.cri"', 'sandbox_image', `"${s.sandboxImage}"`);
    text = setTomlKey(
      text,
      'plugins."io.containerd.grpc.v1.cri".registry',
      'config_path',
      `"${s.registryConfigPath}"`,
    );
  }
  return text.endsWith('\n') ? text : `${text}\n`;
}
