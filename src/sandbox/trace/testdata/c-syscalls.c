#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <unistd.h>

static void *reader(void *a) { int fd = open("/etc/hostname", O_RDONLY); close(fd); return 0; }
static void *execer(void *a) {
  char *argv[] = {"true", "from-thread", 0};
  char *envp[] = {"A=1", 0};
  execve("/bin/true", argv, envp);
  return 0;
}

int main(void) {
  const char *base = "/tmp/tr/c/w";
  mkdir(base, 0755);
  int dfd = open(base, O_RDONLY | O_DIRECTORY);
  int fd = openat(dfd, "rel.txt", O_WRONLY | O_CREAT | O_APPEND, 0600); close(fd);
  fd = syscall(SYS_open, "legacy.txt", O_RDWR | O_CREAT, 0644); close(fd); /* relative to cwd */
  fd = creat("/tmp/tr/c/w/creat.txt", 0644); close(fd);
  mkdirat(dfd, "sub", 0700);
  renameat2(dfd, "rel.txt", dfd, "sub/moved.txt", 0);
  linkat(dfd, "creat.txt", AT_FDCWD, "/tmp/tr/c/w/hard.txt", 0);
  symlinkat("/etc/passwd", dfd, "pw");
  fchmodat(dfd, "creat.txt", 0755, 0);
  char weird[] = "/tmp/tr/c/w/we\"ird\n\t\xff\x01name\\x";
  fd = open(weird, O_WRONLY | O_CREAT, 0600); close(fd); unlink(weird);
  char utf[] = "/tmp/tr/c/w/caf\xc3\xa9.txt";
  fd = open(utf, O_RDONLY); 
  char longp[400]; strcpy(longp, "/tmp/tr/c/w/"); memset(longp + 12, 'a', 300); longp[312] = 0;
  fd = open(longp, O_RDONLY);
  unlinkat(dfd, "sub/moved.txt", 0);
  unlinkat(dfd, "sub", AT_REMOVEDIR);
  fchdir(dfd);
  open("creat.txt", O_RDONLY);
  chdir("..");
  open("w/hard.txt", O_RDONLY);

  int rcv = socket(AF_INET, SOCK_DGRAM, 0);
  struct sockaddr_in sin = {.sin_family = AF_INET, .sin_port = 0};
  inet_pton(AF_INET, "127.0.0.1", &sin.sin_addr);
  bind(rcv, (struct sockaddr *)&sin, sizeof sin);
  socklen_t sl = sizeof sin;
  getsockname(rcv, (struct sockaddr *)&sin, &sl);
  int u = socket(AF_INET, SOCK_DGRAM, 0);
  sendto(u, "hello\n", 6, 0, (struct sockaddr *)&sin, sizeof sin);
  connect(u, (struct sockaddr *)&sin, sizeof sin);
  send(u, "x", 1, 0);
  struct mmsghdr m[2]; struct iovec iv[2] = {{"aa", 2}, {"bbb", 3}};
  memset(m, 0, sizeof m);
  m[0].msg_hdr.msg_iov = &iv[0]; m[0].msg_hdr.msg_iovlen = 1;
  m[1].msg_hdr.msg_iov = &iv[1]; m[1].msg_hdr.msg_iovlen = 1;
  sendmmsg(u, m, 2, 0);
  int t6 = socket(AF_INET6, SOCK_STREAM, 0);
  struct sockaddr_in6 s6 = {.sin6_family = AF_INET6, .sin6_port = htons(1)};
  inet_pton(AF_INET6, "::1", &s6.sin6_addr);
  connect(t6, (struct sockaddr *)&s6, sizeof s6);
  int us = socket(AF_UNIX, SOCK_STREAM, 0);
  struct sockaddr_un sun = {.sun_family = AF_UNIX};
  strcpy(sun.sun_path, "/tmp/tr/c/none.sock");
  connect(us, (struct sockaddr *)&sun, sizeof sun);

  pthread_t th; pthread_create(&th, 0, reader, 0); pthread_join(th, 0);

  pid_t k = fork();
  if (k == 0) { kill(getpid(), SIGKILL); _exit(1); }
  waitpid(k, 0, 0);
  pid_t e = fork();
  if (e == 0) { pthread_t t2; pthread_create(&t2, 0, execer, 0); pause(); }
  waitpid(e, 0, 0);
  pid_t x = fork();
  if (x == 0) {
    int bin = open("/bin", O_RDONLY | O_DIRECTORY);
    char *argv[] = {"echo", "via-execveat", 0};
    char *envp[] = {"B=2", "EMPTY=", "NOEQ", 0};
    syscall(SYS_execveat, bin, "echo", argv, envp, 0);
    _exit(3);
  }
  waitpid(x, 0, 0);
  return 7;
}
