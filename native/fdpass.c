/*
 * fdpass: the few syscalls Node's net module does not offer, for D-Bus over unix sockets
 * with file-descriptor passing (SCM_RIGHTS). Written against N-API only (plus libuv's
 * uv_poll, reached through napi_get_uv_event_loop), so one build loads on every Node with
 * N-API 8 (Node 20, 22, 24): no rebuild per NODE_MODULE_VERSION.
 *
 * Every fd this module creates or receives has FD_CLOEXEC (SOCK_CLOEXEC, MSG_CMSG_CLOEXEC,
 * F_DUPFD_CLOEXEC). Sockets we read and write are non-blocking; readiness comes from a
 * uv_poll_t, whose callback enters JavaScript through napi_make_callback (so promise
 * continuations run after it, as after any I/O callback).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <node_api.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <uv.h>

/* The D-Bus limit per message (dbus-daemon's default max_message_unix_fds is 16 per
 * message on the system bus, 1024 total; the spec type system allows 253 by byte counting). */
#define MAX_FDS 253

#define CHECK(call)                                                                    \
  do {                                                                                 \
    if ((call) != napi_ok) {                                                           \
      napi_throw_error(env, NULL, "fdpass: N-API call failed: " #call);                \
      return NULL;                                                                     \
    }                                                                                  \
  } while (0)

static napi_value throw_errno(napi_env env, const char *what, int err) {
  char msg[256];
  snprintf(msg, sizeof msg, "%s: %s", what, strerror(err));
  napi_value code, text, error;
  char codebuf[32];
  snprintf(codebuf, sizeof codebuf, "E%d", err);
  napi_create_string_utf8(env, codebuf, NAPI_AUTO_LENGTH, &code);
  napi_create_string_utf8(env, msg, NAPI_AUTO_LENGTH, &text);
  napi_create_error(env, code, text, &error);
  napi_value errnov;
  napi_create_int32(env, err, &errnov);
  napi_set_named_property(env, error, "errno", errnov);
  napi_throw(env, error);
  return NULL;
}

static int arg_int(napi_env env, napi_value v, int32_t *out) {
  return napi_get_value_int32(env, v, out) == napi_ok;
}

static napi_value make_int(napi_env env, int32_t v) {
  napi_value r;
  napi_create_int32(env, v, &r);
  return r;
}

/* Reads the call's first n arguments into argv (absent ones read as undefined); false after
 * throwing when N-API fails. */
static int get_args(napi_env env, napi_callback_info info, size_t n, napi_value *argv) {
  if (napi_get_cb_info(env, info, &n, argv, NULL, NULL) == napi_ok) return 1;
  napi_throw_error(env, NULL, "fdpass: N-API call failed: napi_get_cb_info");
  return 0;
}

/* get_args, then argv[0] as the fd the call works on: a non-number throws EINVAL, named
 * by what (the JS function's name). */
static int get_fd_args(napi_env env, napi_callback_info info, size_t n, napi_value *argv,
                       int32_t *fd, const char *what) {
  if (!get_args(env, info, n, argv)) return 0;
  if (arg_int(env, argv[0], fd)) return 1;
  throw_errno(env, what, EINVAL);
  return 0;
}

/* For a failure after fd was opened here: closes it and throws errno as it was. */
static napi_value close_and_throw(napi_env env, int fd, const char *what) {
  int e = errno;
  close(fd);
  return throw_errno(env, what, e);
}

static int set_nonblock(int fd) {
  int fl = fcntl(fd, F_GETFL);
  if (fl < 0) return -1;
  return fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

/* socketpair() -> [fd0, fd1]: AF_UNIX stream, both CLOEXEC, both blocking (one end is
 * usually handed to another process, which sets its own mode). */
static napi_value js_socketpair(napi_env env, napi_callback_info info) {
  (void)info;
  int sv[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
    return throw_errno(env, "socketpair", errno);
  napi_value arr;
  CHECK(napi_create_array_with_length(env, 2, &arr));
  napi_set_element(env, arr, 0, make_int(env, sv[0]));
  napi_set_element(env, arr, 1, make_int(env, sv[1]));
  return arr;
}

static int fill_addr(napi_env env, napi_value name, napi_value abs, struct sockaddr_un *sa,
                     socklen_t *salen) {
  memset(sa, 0, sizeof *sa);
  sa->sun_family = AF_UNIX;
  size_t max = sizeof sa->sun_path - 1, len = 0;
  bool abstract = false;
  napi_get_value_bool(env, abs, &abstract);
  char *dst = sa->sun_path + (abstract ? 1 : 0);
  if (napi_get_value_string_utf8(env, name, dst, max + 1, &len) != napi_ok) return EINVAL;
  if (len >= max) return ENAMETOOLONG;
  *salen = offsetof(struct sockaddr_un, sun_path) + len + 1;
  return 0;
}

/* What connectUnix and listenUnix share: the address from their (name, abstract) arguments
 * and a new AF_UNIX stream socket (CLOEXEC, plus flags). -1 after throwing; a bad name is
 * reported as "<verb>: socket name". */
static int open_unix(napi_env env, napi_callback_info info, const char *verb, int flags,
                     struct sockaddr_un *sa, socklen_t *salen) {
  napi_value argv[2];
  if (!get_args(env, info, 2, argv)) return -1;
  int e = fill_addr(env, argv[0], argv[1], sa, salen);
  if (e != 0) {
    char what[64];
    snprintf(what, sizeof what, "%s: socket name", verb);
    throw_errno(env, what, e);
    return -1;
  }
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | flags, 0);
  if (fd < 0) throw_errno(env, "socket", errno);
  return fd;
}

/* connectUnix(name: string, abstract: boolean) -> fd (non-blocking, CLOEXEC). A unix
 * connect completes at once or fails (EAGAIN when the backlog is full: reported). */
static napi_value js_connect_unix(napi_env env, napi_callback_info info) {
  struct sockaddr_un sa;
  socklen_t salen;
  int fd = open_unix(env, info, "connect", 0, &sa, &salen);
  if (fd < 0) return NULL;
  int r;
  do r = connect(fd, (struct sockaddr *)&sa, salen);
  while (r < 0 && errno == EINTR);
  if (r < 0) return close_and_throw(env, fd, "connect");
  if (set_nonblock(fd) < 0) return close_and_throw(env, fd, "fcntl");
  return make_int(env, fd);
}

/* listenUnix(name, abstract) -> listening fd (non-blocking, CLOEXEC, backlog 64). */
static napi_value js_listen_unix(napi_env env, napi_callback_info info) {
  struct sockaddr_un sa;
  socklen_t salen;
  int fd = open_unix(env, info, "listen", SOCK_NONBLOCK, &sa, &salen);
  if (fd < 0) return NULL;
  if (bind(fd, (struct sockaddr *)&sa, salen) < 0 || listen(fd, 64) < 0)
    return close_and_throw(env, fd, "bind/listen");
  return make_int(env, fd);
}

/* accept(fd) -> a connected fd (CLOEXEC, blocking until FdSocket sets it), or -1 (EAGAIN). */
static napi_value js_accept(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  int32_t fd;
  if (!get_fd_args(env, info, 1, argv, &fd, "accept")) return NULL;
  int c;
  do c = accept4(fd, NULL, NULL, SOCK_CLOEXEC);
  while (c < 0 && errno == EINTR);
  if (c < 0) {
    if (errno == EAGAIN || errno == EWOULDBLOCK || errno == ECONNABORTED) return make_int(env, -1);
    return throw_errno(env, "accept", errno);
  }
  return make_int(env, c);
}

/* setNonBlocking(fd) */
static napi_value js_set_nonblocking(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  int32_t fd;
  if (!get_fd_args(env, info, 1, argv, &fd, "setNonBlocking")) return NULL;
  if (set_nonblock(fd) < 0) return throw_errno(env, "fcntl", errno);
  return NULL;
}

/* sendmsg(fd, data: Uint8Array, offset, fds: number[]) -> bytes sent, or -1 on EAGAIN.
 * fds go with the first byte (SCM_RIGHTS); the caller sends them only once. */
static napi_value js_sendmsg(napi_env env, napi_callback_info info) {
  napi_value argv[4];
  if (!get_args(env, info, 4, argv)) return NULL;
  int32_t fd, offset;
  if (!arg_int(env, argv[0], &fd) || !arg_int(env, argv[2], &offset))
    return throw_errno(env, "sendmsg", EINVAL);
  void *data;
  size_t len;
  napi_typedarray_type tt;
  napi_value ab;
  size_t byteoff;
  if (napi_get_typedarray_info(env, argv[1], &tt, &len, &data, &ab, &byteoff) != napi_ok)
    return throw_errno(env, "sendmsg: data", EINVAL);
  if (offset < 0 || (size_t)offset > len) return throw_errno(env, "sendmsg: offset", EINVAL);
  uint32_t nfds = 0;
  napi_get_array_length(env, argv[3], &nfds);
  if (nfds > MAX_FDS) return throw_errno(env, "sendmsg: too many fds", EINVAL);
  union {
    struct cmsghdr align;
    char buf[CMSG_SPACE(sizeof(int) * MAX_FDS)];
  } ctl;
  struct iovec iov = {.iov_base = (char *)data + offset, .iov_len = len - offset};
  struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1};
  if (nfds > 0) {
    memset(&ctl, 0, sizeof ctl);
    msg.msg_control = ctl.buf;
    msg.msg_controllen = CMSG_SPACE(sizeof(int) * nfds);
    struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int) * nfds);
    int *fds = (int *)CMSG_DATA(c);
    for (uint32_t i = 0; i < nfds; i++) {
      napi_value v;
      int32_t f;
      napi_get_element(env, argv[3], i, &v);
      if (!arg_int(env, v, &f)) return throw_errno(env, "sendmsg: fd", EBADF);
      fds[i] = f;
    }
  }
  ssize_t n;
  do n = sendmsg(fd, &msg, MSG_NOSIGNAL);
  while (n < 0 && errno == EINTR);
  if (n < 0) {
    if (errno == EAGAIN || errno == EWOULDBLOCK) return make_int(env, -1);
    return throw_errno(env, "sendmsg", errno);
  }
  return make_int(env, (int32_t)n);
}

static void close_fds(int *fds, size_t n) {
  for (size_t i = 0; i < n; i++) close(fds[i]);
}

/* recvmsg(fd, max) -> null on EAGAIN, else { data: Buffer (empty at end of stream),
 * fds: number[] } (fds CLOEXEC). Truncated control data (more fds than MAX_FDS in one
 * read) closes what arrived and throws: the stream is no longer consistent. */
static napi_value js_recvmsg(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  if (!get_args(env, info, 2, argv)) return NULL;
  int32_t fd, max;
  if (!arg_int(env, argv[0], &fd) || !arg_int(env, argv[1], &max) || max <= 0)
    return throw_errno(env, "recvmsg", EINVAL);
  char *buf = malloc((size_t)max);
  if (buf == NULL) return throw_errno(env, "recvmsg", ENOMEM);
  union {
    struct cmsghdr align;
    char buf[CMSG_SPACE(sizeof(int) * MAX_FDS)];
  } ctl;
  struct iovec iov = {.iov_base = buf, .iov_len = (size_t)max};
  struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl.buf,
                       .msg_controllen = sizeof ctl.buf};
  ssize_t n;
  do n = recvmsg(fd, &msg, MSG_CMSG_CLOEXEC);
  while (n < 0 && errno == EINTR);
  if (n < 0) {
    int e = errno;
    free(buf);
    if (e == EAGAIN || e == EWOULDBLOCK) {
      napi_value nul;
      napi_get_null(env, &nul);
      return nul;
    }
    return throw_errno(env, "recvmsg", e);
  }
  int got[MAX_FDS + 8];
  size_t ngot = 0;
  for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c != NULL; c = CMSG_NXTHDR(&msg, c)) {
    if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) continue;
    size_t k = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
    int *p = (int *)CMSG_DATA(c);
    for (size_t i = 0; i < k; i++) {
      if (ngot < sizeof got / sizeof got[0]) got[ngot++] = p[i];
      else close(p[i]);
    }
  }
  if (msg.msg_flags & MSG_CTRUNC) {
    close_fds(got, ngot);
    free(buf);
    return throw_errno(env, "recvmsg: more fds than one message may carry", EMSGSIZE);
  }
  napi_value out, data, fds;
  void *copy;
  if (napi_create_buffer_copy(env, (size_t)n, buf, &copy, &data) != napi_ok) {
    close_fds(got, ngot);
    free(buf);
    napi_throw_error(env, NULL, "fdpass: buffer allocation failed");
    return NULL;
  }
  free(buf);
  napi_create_array_with_length(env, ngot, &fds);
  for (size_t i = 0; i < ngot; i++) napi_set_element(env, fds, (uint32_t)i, make_int(env, got[i]));
  napi_create_object(env, &out);
  napi_set_named_property(env, out, "data", data);
  napi_set_named_property(env, out, "fds", fds);
  return out;
}

/* close(fd): errors other than EINTR are reported (EBADF means a double close: a bug). */
static napi_value js_close(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  int32_t fd;
  if (!get_fd_args(env, info, 1, argv, &fd, "close")) return NULL;
  if (close(fd) < 0 && errno != EINTR) return throw_errno(env, "close", errno);
  return NULL;
}

/* dup(fd) -> a new fd with CLOEXEC. */
static napi_value js_dup(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  int32_t fd;
  if (!get_fd_args(env, info, 1, argv, &fd, "dup")) return NULL;
  int r = fcntl(fd, F_DUPFD_CLOEXEC, 3);
  if (r < 0) return throw_errno(env, "dup", errno);
  return make_int(env, r);
}

/* peerUid(fd) -> the peer's uid (SO_PEERCRED), for the server side of EXTERNAL. */
static napi_value js_peer_uid(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  int32_t fd;
  if (!get_fd_args(env, info, 1, argv, &fd, "peerUid")) return NULL;
  struct ucred cred;
  socklen_t l = sizeof cred;
  if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &l) < 0)
    return throw_errno(env, "getsockopt(SO_PEERCRED)", errno);
  napi_value r;
  napi_create_uint32(env, cred.uid, &r);
  return r;
}

/* ---- readiness: one uv_poll_t per watched fd ---- */

typedef struct {
  uv_poll_t poll;
  napi_env env;
  napi_ref callback;
  napi_async_context async;
  int stopped;
} watcher;

static void on_poll_closed(uv_handle_t *h) {
  free(h->data);
}

static void on_poll(uv_poll_t *p, int status, int events) {
  watcher *w = p->data;
  if (w->stopped) return;
  napi_env env = w->env;
  napi_handle_scope scope;
  napi_open_handle_scope(env, &scope);
  napi_value cb, recv, argv[1], result;
  napi_get_reference_value(env, w->callback, &cb);
  napi_get_global(env, &recv);
  /* status < 0: report it as "readable" so that JS reads and meets the error itself. */
  argv[0] = make_int(env, status < 0 ? UV_READABLE : events);
  napi_make_callback(env, w->async, recv, cb, 1, argv, &result);
  bool pending = false;
  napi_is_exception_pending(env, &pending);
  if (pending) {
    napi_value exc;
    napi_get_and_clear_last_exception(env, &exc);
    napi_fatal_exception(env, exc);
  }
  napi_close_handle_scope(env, scope);
}

static void stop_watcher(napi_env env, watcher *w) {
  if (w->stopped) return;
  w->stopped = 1;
  uv_poll_stop(&w->poll);
  napi_delete_reference(env, w->callback);
  napi_async_destroy(env, w->async);
  uv_close((uv_handle_t *)&w->poll, on_poll_closed);
}

static napi_value js_watch(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  int32_t fd;
  if (!get_fd_args(env, info, 2, argv, &fd, "watch")) return NULL;
  uv_loop_t *loop;
  CHECK(napi_get_uv_event_loop(env, &loop));
  watcher *w = calloc(1, sizeof *w);
  if (w == NULL) return throw_errno(env, "watch", ENOMEM);
  int r = uv_poll_init(loop, &w->poll, fd);
  if (r < 0) {
    free(w);
    return throw_errno(env, "uv_poll_init", -r);
  }
  w->poll.data = w;
  w->env = env;
  napi_create_reference(env, argv[1], 1, &w->callback);
  napi_value name;
  napi_create_string_utf8(env, "fdpass.watch", NAPI_AUTO_LENGTH, &name);
  napi_value resource;
  napi_create_object(env, &resource);
  napi_async_init(env, resource, name, &w->async);
  napi_value ext;
  CHECK(napi_create_external(env, w, NULL, NULL, &ext));
  return ext;
}

static watcher *get_watcher(napi_env env, napi_value v) {
  void *p = NULL;
  if (napi_get_value_external(env, v, &p) != napi_ok) return NULL;
  return p;
}

/* watchEvents(w, events): 0 stops polling, 1 readable, 2 writable, 3 both. */
static napi_value js_watch_events(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  if (!get_args(env, info, 2, argv)) return NULL;
  watcher *w = get_watcher(env, argv[0]);
  int32_t ev;
  if (w == NULL || !arg_int(env, argv[1], &ev)) return throw_errno(env, "watchEvents", EINVAL);
  if (w->stopped) return NULL;
  int r = ev == 0 ? uv_poll_stop(&w->poll) : uv_poll_start(&w->poll, ev, on_poll);
  if (r < 0) return throw_errno(env, "uv_poll_start", -r);
  return NULL;
}

/* watchRef(w, ref): whether this watcher keeps the process alive. */
static napi_value js_watch_ref(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  if (!get_args(env, info, 2, argv)) return NULL;
  watcher *w = get_watcher(env, argv[0]);
  bool ref = true;
  napi_get_value_bool(env, argv[1], &ref);
  if (w == NULL || w->stopped) return NULL;
  if (ref) uv_ref((uv_handle_t *)&w->poll);
  else uv_unref((uv_handle_t *)&w->poll);
  return NULL;
}

/* unwatch(w): stops and frees the watcher (call before closing its fd). */
static napi_value js_unwatch(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  if (!get_args(env, info, 1, argv)) return NULL;
  watcher *w = get_watcher(env, argv[0]);
  if (w == NULL) return throw_errno(env, "unwatch", EINVAL);
  stop_watcher(env, w);
  return NULL;
}

NAPI_MODULE_INIT() {
  napi_property_descriptor props[] = {
      {"socketpair", NULL, js_socketpair, NULL, NULL, NULL, napi_default, NULL},
      {"connectUnix", NULL, js_connect_unix, NULL, NULL, NULL, napi_default, NULL},
      {"listenUnix", NULL, js_listen_unix, NULL, NULL, NULL, napi_default, NULL},
      {"accept", NULL, js_accept, NULL, NULL, NULL, napi_default, NULL},
      {"setNonBlocking", NULL, js_set_nonblocking, NULL, NULL, NULL, napi_default, NULL},
      {"sendmsg", NULL, js_sendmsg, NULL, NULL, NULL, napi_default, NULL},
      {"recvmsg", NULL, js_recvmsg, NULL, NULL, NULL, napi_default, NULL},
      {"close", NULL, js_close, NULL, NULL, NULL, napi_default, NULL},
      {"dup", NULL, js_dup, NULL, NULL, NULL, napi_default, NULL},
      {"peerUid", NULL, js_peer_uid, NULL, NULL, NULL, napi_default, NULL},
      {"watch", NULL, js_watch, NULL, NULL, NULL, napi_default, NULL},
      {"watchEvents", NULL, js_watch_events, NULL, NULL, NULL, napi_default, NULL},
      {"watchRef", NULL, js_watch_ref, NULL, NULL, NULL, napi_default, NULL},
      {"unwatch", NULL, js_unwatch, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
  return exports;
}
