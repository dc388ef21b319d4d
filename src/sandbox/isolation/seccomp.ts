import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Syscalls a package never needs and a sandbox escape or an anti-tracing trick does: tracing and
 * memory access to other processes, new namespaces and mounts, kernel modules and BPF, keyrings.
 * Denied with EPERM (not a kill), as a hardened host would.
 */
export const DENIED_SYSCALLS = [
  'ptrace',
  'process_vm_readv',
  'process_vm_writev',
  'mount',
  'umount2',
  'pivot_root',
  'chroot',
  'unshare',
  'setns',
  'bpf',
  'perf_event_open',
  'userfaultfd',
  'init_module',
  'finit_module',
  'delete_module',
  'kexec_load',
  'kexec_file_load',
  'open_by_handle_at',
  'name_to_handle_at',
  'keyctl',
  'add_key',
  'request_key',
  'swapon',
  'swapoff',
  'reboot',
  'syslog',
  'acct',
  'quotactl',
  'iopl',
  'ioperm',
  'fsopen',
  'fsmount',
  'move_mount',
  'open_tree',
] as const;

// libseccomp (through its Python binding, Debian's python3-seccomp) compiles the deny-list to the
// BPF program bwrap loads; the names are resolved for this machine's architecture.
const COMPILE = `
import errno, sys, seccomp
f = seccomp.SyscallFilter(seccomp.ALLOW)
for name in sys.argv[2:]:
    try:
        f.add_rule(seccomp.ERRNO(errno.EPERM), name)
    except Exception:
        pass  # not a syscall on this architecture
with open(sys.argv[1], "wb") as out:
    f.export_bpf(out)
`;

/** The compiled filter's path, built once per deny-list and cached in `cacheDir`. */
export const seccompFilter = (python3: string, cacheDir: string): string => {
  const digest = createHash('sha256').update(DENIED_SYSCALLS.join(',')).digest('hex').slice(0, 16);
  const path = join(cacheDir, `seccomp-${process.arch}-${digest}.bpf`);
  if (existsSync(path)) return path;
  mkdirSync(cacheDir, { recursive: true });
  const partial = `${path}.${process.pid}.tmp`;
  execFileSync(python3, ['-c', COMPILE, partial, ...DENIED_SYSCALLS], { stdio: 'pipe', timeout: 30_000 });
  renameSync(partial, path);
  return path;
};
