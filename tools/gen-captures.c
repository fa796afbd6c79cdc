/*
 * gen-captures.c - deterministic MS-DHCPM (dhcpsrv2) test-capture generator.
 *
 * An independent DCE/RPC client/server simulator: it writes pcapng files with
 * Ethernet/IPv4/TCP carrying connection-oriented DCE/RPC (bind, bind_ack,
 * request, response) for R_DhcpV4FailoverGetScopeStatistics (dhcpsrv2 opnum 97),
 * encoded with its own NDR / NDR64 marshalling code, plus a JSON file per capture
 * with the values it encoded and the expert items a correct dissector must raise.
 *
 * Usage:
 *   gen-captures OUTDIR
 *       writes OUTDIR/NAME.pcapng and OUTDIR/NAME.expected.json for every scenario
 *   gen-captures --bench N OUT.pcapng [--seed S]
 *       writes one large capture of N opnum-97 calls, streaming (constant memory)
 *
 * Only the C library is used (plus mkdir(2)).  Output is byte-identical on every
 * run: timestamps start at a fixed base time, ports / sequence numbers / ids come
 * from fixed counters or from a fixed-seed splitmix64 PRNG.
 *
 * Wire references: C706 ch. 12 and ch. 14 (CO PDUs, NDR), MS-RPCE 2.2.2 / 2.2.5
 * (NDR64), MS-DHCPM 3.2.4.98 and 2.2.1.2.100; see the layouts in
 * /work/shared/protocol/ms-dhcpm-failover.md section 6.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

/* 2026-11-02 08:00:00 UTC */
#define BASE_TIME_S   1793606400ULL
#define SERVER_PORT   49670
#define CLIENT_PORT0  50000
#define MAX_FRAG      5840
#define OPNUM         97
#define TCP_WINDOW    64240
#define MAX_SEG       1460

/* ------------------------------------------------------------------------- */
/* utilities                                                                  */
/* ------------------------------------------------------------------------- */

static void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("gen-captures: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(1);
}

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        die("out of memory");
    return q;
}

/* splitmix64: tiny, fixed, portable PRNG (never rand()) */
typedef struct {
    uint64_t s;
} rng_t;

static uint64_t rng_next(rng_t *r)
{
    uint64_t z = (r->s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static uint32_t rng_below(rng_t *r, uint32_t n)
{
    return n ? (uint32_t)(rng_next(r) % n) : 0;
}

static uint64_t fnv1a(const char *s)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    while (*s) {
        h ^= (uint8_t)*s++;
        h *= 0x100000001b3ULL;
    }
    return h;
}

/* growable byte buffer */
typedef struct {
    uint8_t *p;
    size_t len, cap;
} buf_t;

static void buf_reserve(buf_t *b, size_t n)
{
    if (b->len + n > b->cap) {
        size_t c = b->cap ? b->cap : 256;
        while (c < b->len + n)
            c *= 2;
        b->p = xrealloc(b->p, c);
        b->cap = c;
    }
}

static void buf_put(buf_t *b, const void *d, size_t n)
{
    buf_reserve(b, n);
    memcpy(b->p + b->len, d, n);
    b->len += n;
}

static void buf_u8(buf_t *b, uint8_t v)
{
    buf_put(b, &v, 1);
}

/* integers in a chosen byte order (be != 0: big-endian) */
static void buf_u16(buf_t *b, int be, uint16_t v)
{
    uint8_t x[2];
    if (be) {
        x[0] = (uint8_t)(v >> 8);
        x[1] = (uint8_t)v;
    } else {
        x[0] = (uint8_t)v;
        x[1] = (uint8_t)(v >> 8);
    }
    buf_put(b, x, 2);
}

static void buf_u32(buf_t *b, int be, uint32_t v)
{
    uint8_t x[4];
    int i;
    for (i = 0; i < 4; i++)
        x[be ? 3 - i : i] = (uint8_t)(v >> (8 * i));
    buf_put(b, x, 4);
}

static void buf_u64(buf_t *b, int be, uint64_t v)
{
    uint8_t x[8];
    int i;
    for (i = 0; i < 8; i++)
        x[be ? 7 - i : i] = (uint8_t)(v >> (8 * i));
    buf_put(b, x, 8);
}

static void buf_free(buf_t *b)
{
    free(b->p);
    b->p = NULL;
    b->len = b->cap = 0;
}

static void put_le16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static void put_le32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

static void put_be16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static void put_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static uint32_t ip4(unsigned a, unsigned b, unsigned c, unsigned d)
{
    return ((uint32_t)a << 24) | ((uint32_t)b << 16) | ((uint32_t)c << 8) | (uint32_t)d;
}

static void ip_str(uint32_t v, char *out, size_t n)
{
    snprintf(out, n, "%u.%u.%u.%u", (unsigned)(v >> 24), (unsigned)((v >> 16) & 255),
             (unsigned)((v >> 8) & 255), (unsigned)(v & 255));
}

/* ------------------------------------------------------------------------- */
/* pcapng writer                                                              */
/* ------------------------------------------------------------------------- */

typedef struct {
    FILE *f;
    uint32_t frames;
    uint64_t ts_us; /* current time, microseconds since the epoch */
} pcapw_t;

static void pw_write(pcapw_t *w, const void *d, size_t n)
{
    if (n && fwrite(d, 1, n, w->f) != n)
        die("write error: %s", strerror(errno));
}

static void pcapw_open(pcapw_t *w, const char *path)
{
    static const char appl[] = "gen-captures (MS-DHCPM dhcpsrv2 test capture generator)";
    uint8_t blk[256];
    size_t n, alen = sizeof(appl) - 1, apad = (4 - alen % 4) % 4;

    memset(w, 0, sizeof(*w));
    w->f = fopen(path, "wb");
    if (!w->f)
        die("cannot create %s: %s", path, strerror(errno));
    w->ts_us = BASE_TIME_S * 1000000ULL;

    /* Section Header Block */
    n = 0;
    put_le32(blk + n, 0x0A0D0D0A); n += 4;
    n += 4; /* total length, patched below */
    put_le32(blk + n, 0x1A2B3C4D); n += 4;
    put_le16(blk + n, 1); n += 2;
    put_le16(blk + n, 0); n += 2;
    memset(blk + n, 0xff, 8); n += 8; /* section length unknown (-1) */
    put_le16(blk + n, 4); n += 2;     /* shb_userappl */
    put_le16(blk + n, (uint16_t)alen); n += 2;
    memcpy(blk + n, appl, alen); n += alen;
    memset(blk + n, 0, apad); n += apad;
    put_le32(blk + n, 0); n += 4;     /* opt_endofopt */
    n += 4;
    put_le32(blk + 4, (uint32_t)n);
    put_le32(blk + n - 4, (uint32_t)n);
    pw_write(w, blk, n);

    /* Interface Description Block: Ethernet, snaplen 262144, if_tsresol 6 (us) */
    n = 0;
    put_le32(blk + n, 1); n += 4;
    n += 4;
    put_le16(blk + n, 1); n += 2;      /* LINKTYPE_ETHERNET */
    put_le16(blk + n, 0); n += 2;
    put_le32(blk + n, 262144); n += 4;
    put_le16(blk + n, 2); n += 2;      /* if_name */
    put_le16(blk + n, 4); n += 2;
    memcpy(blk + n, "eth0", 4); n += 4;
    put_le16(blk + n, 9); n += 2;      /* if_tsresol */
    put_le16(blk + n, 1); n += 2;
    blk[n++] = 6;
    blk[n++] = 0; blk[n++] = 0; blk[n++] = 0;
    put_le32(blk + n, 0); n += 4;      /* opt_endofopt */
    n += 4;
    put_le32(blk + 4, (uint32_t)n);
    put_le32(blk + n - 4, (uint32_t)n);
    pw_write(w, blk, n);
}

/* returns the 1-based frame number */
static uint32_t pcapw_frame(pcapw_t *w, const uint8_t *d, size_t len)
{
    uint8_t h[28], t[4];
    static const uint8_t zero[4] = {0, 0, 0, 0};
    size_t pad = (4 - len % 4) % 4;
    uint32_t total = (uint32_t)(28 + len + pad + 4);

    put_le32(h, 6);
    put_le32(h + 4, total);
    put_le32(h + 8, 0);
    put_le32(h + 12, (uint32_t)(w->ts_us >> 32));
    put_le32(h + 16, (uint32_t)w->ts_us);
    put_le32(h + 20, (uint32_t)len);
    put_le32(h + 24, (uint32_t)len);
    pw_write(w, h, 28);
    pw_write(w, d, len);
    pw_write(w, zero, pad);
    put_le32(t, total);
    pw_write(w, t, 4);
    return ++w->frames;
}

static void pcapw_close(pcapw_t *w)
{
    if (fclose(w->f) != 0)
        die("close error: %s", strerror(errno));
    w->f = NULL;
}

/* ------------------------------------------------------------------------- */
/* expectations (expected.json)                                               */
/* ------------------------------------------------------------------------- */

enum { K_OMIT = 0, K_NULL = 1, K_VAL = 2 };

/* what the dissector can decode from a request (copied to the response) */
typedef struct {
    int srv_state;   /* K_OMIT / K_NULL / K_VAL */
    char srv[512];
    int scope_state; /* K_OMIT / K_VAL */
    uint32_t scope;
} reqinfo_t;

#define MAX_EXPERT 16

struct conn;

typedef struct {
    /* resolution of the frame number */
    struct conn *c;
    int dir;
    uint64_t end_off;
    uint32_t frame;
    uint32_t order;
    /* contents */
    int is_resp, ndr64;
    reqinfo_t ri;
    int stats_state; /* K_OMIT / K_NULL / K_VAL (nstats fields) */
    int nstats;
    uint32_t st[7];
    int util_state;  /* K_OMIT / K_NULL / K_VAL */
    double util;
    int werr_state;  /* K_OMIT / K_VAL */
    uint32_t werr;
    int malformed;
    int nexp;
    const char *exp[MAX_EXPERT];
    /* failover family (opnums other than 97): see the "failover family" section */
    int opnum;                /* 0: OPNUM */
    struct fset *fs;          /* "fields" / "absent" (NULL: none) */
    uint32_t srv_ip;          /* address of the answering host (responses) */
    uint64_t ts_us;           /* timestamp of the frame that completes the PDU */
    int clock;                /* GetSystemTime response: apply the clock rules */
    uint32_t sys_time;        /* its pTime */
} exp_t;

struct fset;
static void fset_write(FILE *f, const struct fset *fs);
static void fset_free(struct fset *fs);

/* ------------------------------------------------------------------------- */
/* generator state, hosts, TCP connections                                    */
/* ------------------------------------------------------------------------- */

typedef struct {
    uint8_t mac[6];
    uint32_t ip;
    uint16_t ip_id;
} host_t;

typedef struct conn {
    host_t *cli, *srv;
    uint16_t cport, sport;
    uint32_t seq[2];          /* next sequence number per direction (0 = c->s, 1 = s->c) */
    uint64_t queued[2];       /* stream bytes queued so far */
    uint64_t sent[2];         /* stream bytes sent so far */
    buf_t q[2];               /* queued, unsent bytes */
    size_t qhead[2];
    int ndr64, be;
    uint32_t next_call_id;
    uint32_t assoc_group;
    int open;
} conn_t;

typedef struct {
    pcapw_t pw;
    rng_t rng;
    int record; /* keep expectations (0 in bench mode) */
    exp_t *exps;
    size_t nexps, capexps;
    size_t first_unresolved;
    uint16_t next_port;
    uint32_t next_assoc;
    char name[64];
    char desc[1024];
    char outdir[1024];
} gen_t;

static host_t H_CLIENT, H_SRV1, H_SRV2;

static void hosts_reset(void)
{
    static const uint8_t mc[6] = {0x02, 0, 0, 0, 0, 0x64};
    static const uint8_t m1[6] = {0x02, 0, 0, 0, 0, 0x01};
    static const uint8_t m2[6] = {0x02, 0, 0, 0, 0, 0x02};
    memcpy(H_CLIENT.mac, mc, 6);
    memcpy(H_SRV1.mac, m1, 6);
    memcpy(H_SRV2.mac, m2, 6);
    H_CLIENT.ip = ip4(10, 0, 0, 100);
    H_SRV1.ip = ip4(10, 0, 0, 1);
    H_SRV2.ip = ip4(10, 0, 0, 2);
    H_CLIENT.ip_id = 0x1c40;
    H_SRV1.ip_id = 0x5a10;
    H_SRV2.ip_id = 0x7b20;
}

static void tick(gen_t *g, uint64_t us)
{
    g->pw.ts_us += us;
}

/* jittered delay */
static void tick_j(gen_t *g, uint64_t base, uint32_t jitter)
{
    g->pw.ts_us += base + rng_below(&g->rng, jitter + 1);
}

static void set_time(gen_t *g, uint64_t offset_us)
{
    uint64_t t = BASE_TIME_S * 1000000ULL + offset_us;
    if (t < g->pw.ts_us)
        die("time going backwards in %s", g->name);
    g->pw.ts_us = t;
}

static uint16_t csum_fold(uint32_t s)
{
    while (s >> 16)
        s = (s & 0xffff) + (s >> 16);
    return (uint16_t)~s;
}

static uint32_t csum_add(uint32_t s, const uint8_t *p, size_t n)
{
    size_t i;
    for (i = 0; i + 1 < n; i += 2)
        s += ((uint32_t)p[i] << 8) | p[i + 1];
    if (n & 1)
        s += (uint32_t)p[n - 1] << 8;
    while (s >> 16)
        s = (s & 0xffff) + (s >> 16);
    return s;
}

#define TH_FIN 0x01
#define TH_SYN 0x02
#define TH_PSH 0x08
#define TH_ACK 0x10

static void resolve_exps(gen_t *g, conn_t *c, int dir, uint32_t frame);

/* one Ethernet/IPv4/TCP frame of connection c in direction dir */
static uint32_t send_segment(gen_t *g, conn_t *c, int dir, uint8_t flags, const uint8_t *pl, size_t len)
{
    static uint8_t fr[14 + 20 + 24 + MAX_SEG];
    host_t *src = dir ? c->srv : c->cli, *dst = dir ? c->cli : c->srv;
    uint16_t sport = dir ? c->sport : c->cport, dport = dir ? c->cport : c->sport;
    size_t thl = (flags & TH_SYN) ? 24 : 20;
    size_t iplen = 20 + thl + len;
    uint8_t *ip = fr + 14, *tcp = fr + 34, pseudo[12];
    uint32_t s, frame;

    if (len > MAX_SEG)
        die("segment too large (%u)", (unsigned)len);
    memcpy(fr, dst->mac, 6);
    memcpy(fr + 6, src->mac, 6);
    fr[12] = 0x08;
    fr[13] = 0x00;

    ip[0] = 0x45;
    ip[1] = 0;
    put_be16(ip + 2, (uint16_t)iplen);
    put_be16(ip + 4, src->ip_id++);
    put_be16(ip + 6, 0x4000); /* DF */
    ip[8] = 128;
    ip[9] = 6;
    put_be16(ip + 10, 0);
    put_be32(ip + 12, src->ip);
    put_be32(ip + 16, dst->ip);
    put_be16(ip + 10, csum_fold(csum_add(0, ip, 20)));

    put_be16(tcp, sport);
    put_be16(tcp + 2, dport);
    put_be32(tcp + 4, c->seq[dir]);
    put_be32(tcp + 8, (flags & TH_ACK) ? c->seq[!dir] : 0);
    tcp[12] = (uint8_t)((thl / 4) << 4);
    tcp[13] = flags;
    put_be16(tcp + 14, TCP_WINDOW);
    put_be16(tcp + 16, 0);
    put_be16(tcp + 18, 0);
    if (thl == 24) { /* MSS option on SYN / SYN-ACK */
        tcp[20] = 2;
        tcp[21] = 4;
        put_be16(tcp + 22, MAX_SEG);
    }
    if (len)
        memcpy(tcp + thl, pl, len);
    put_be32(pseudo, src->ip);
    put_be32(pseudo + 4, dst->ip);
    pseudo[8] = 0;
    pseudo[9] = 6;
    put_be16(pseudo + 10, (uint16_t)(thl + len));
    s = csum_add(0, pseudo, 12);
    s = csum_add(s, tcp, thl + len);
    put_be16(tcp + 16, csum_fold(s));

    frame = pcapw_frame(&g->pw, fr, 14 + iplen);
    c->seq[dir] += (uint32_t)len + ((flags & (TH_SYN | TH_FIN)) ? 1u : 0u);
    if (len) {
        c->sent[dir] += len;
        if (g->record)
            resolve_exps(g, c, dir, frame);
    }
    return frame;
}

static void conn_init(gen_t *g, conn_t *c, host_t *cli, host_t *srv, int ndr64, int be)
{
    memset(c, 0, sizeof(*c));
    c->cli = cli;
    c->srv = srv;
    /* client ports 50000..64999; 57000 is skipped: Wireshark 4.0 registers it for IRC (tcp.port),
     * which would take the conversation away from the dcerpc heuristic */
    if (g->next_port == 57000)
        g->next_port++;
    c->cport = g->next_port++;
    if (g->next_port >= CLIENT_PORT0 + 15000)
        g->next_port = CLIENT_PORT0;
    c->sport = SERVER_PORT;
    c->seq[0] = (uint32_t)rng_next(&g->rng);
    c->seq[1] = (uint32_t)rng_next(&g->rng);
    c->ndr64 = ndr64;
    c->be = be;
    c->next_call_id = 1;
    c->assoc_group = 0x00004a10u + g->next_assoc++;
    if (ndr64 && be)
        die("NDR64 requires little-endian drep");
}

static void conn_free(conn_t *c)
{
    buf_free(&c->q[0]);
    buf_free(&c->q[1]);
}

/* queue bytes of the DCE/RPC stream in direction dir */
static void queue_bytes(conn_t *c, int dir, const uint8_t *d, size_t n)
{
    if (c->qhead[dir] == c->q[dir].len) {
        c->q[dir].len = 0;
        c->qhead[dir] = 0;
    }
    buf_put(&c->q[dir], d, n);
    c->queued[dir] += n;
}

static size_t queued_unsent(conn_t *c, int dir)
{
    return c->q[dir].len - c->qhead[dir];
}

/* send the next n queued bytes (0 = all) as one PSH|ACK segment */
static uint32_t flush_n(gen_t *g, conn_t *c, int dir, size_t n)
{
    uint32_t f;
    size_t avail = queued_unsent(c, dir);
    if (n == 0 || n > avail)
        n = avail;
    if (n == 0)
        die("nothing to send");
    f = send_segment(g, c, dir, TH_PSH | TH_ACK, c->q[dir].p + c->qhead[dir], n);
    c->qhead[dir] += n;
    return f;
}

static void flush_all(gen_t *g, conn_t *c, int dir)
{
    while (queued_unsent(c, dir) > 0)
        flush_n(g, c, dir, MAX_SEG);
}

/* ------------------------------------------------------------------------- */
/* DCE/RPC connection-oriented PDUs                                           */
/* ------------------------------------------------------------------------- */

typedef struct {
    uint32_t d1;
    uint16_t d2, d3;
    uint8_t d4[8];
} guid_t;

static const guid_t UUID_DHCPSRV2 = {0x5b821720, 0xf63b, 0x11d0, {0xaa, 0xd2, 0x00, 0xc0, 0x4f, 0xc3, 0x24, 0xdb}};
static const guid_t UUID_NDR = {0x8a885d04, 0x1ceb, 0x11c9, {0x9f, 0xe8, 0x08, 0x00, 0x2b, 0x10, 0x48, 0x60}};
static const guid_t UUID_NDR64 = {0x71710533, 0xbeba, 0x4937, {0x83, 0x19, 0xb5, 0xdb, 0xef, 0x9c, 0xcc, 0x36}};

#define PDU_REQ 0
#define PDU_RESP 2
#define PDU_BIND 11
#define PDU_BIND_ACK 12
#define PFC_FIRST 0x01
#define PFC_LAST 0x02

static void put_guid(buf_t *b, int be, const guid_t *u)
{
    buf_u32(b, be, u->d1);
    buf_u16(b, be, u->d2);
    buf_u16(b, be, u->d3);
    buf_put(b, u->d4, 8);
}

/* common header; frag_length is patched by pdu_finish() */
static void pdu_start(buf_t *b, int be, uint8_t ptype, uint8_t flags, uint32_t call_id)
{
    b->len = 0;
    buf_u8(b, 5);
    buf_u8(b, 0);
    buf_u8(b, ptype);
    buf_u8(b, flags);
    buf_u8(b, be ? 0x00 : 0x10); /* drep: integer order + ASCII */
    buf_u8(b, 0x00);             /* IEEE float */
    buf_u8(b, 0);
    buf_u8(b, 0);
    buf_u16(b, be, 0); /* frag_length (patched) */
    buf_u16(b, be, 0); /* auth_length */
    buf_u32(b, be, call_id);
}

static void pdu_finish(buf_t *b, int be)
{
    if (be)
        put_be16(b->p + 8, (uint16_t)b->len);
    else
        put_le16(b->p + 8, (uint16_t)b->len);
}

static void build_bind(buf_t *b, conn_t *c, uint32_t call_id)
{
    int be = c->be;
    pdu_start(b, be, PDU_BIND, PFC_FIRST | PFC_LAST, call_id);
    buf_u16(b, be, MAX_FRAG);
    buf_u16(b, be, MAX_FRAG);
    buf_u32(b, be, 0); /* assoc_group_id */
    buf_u8(b, 1);      /* n_context_elem */
    buf_u8(b, 0);
    buf_u16(b, be, 0);
    buf_u16(b, be, 0); /* p_cont_id */
    buf_u8(b, 1);      /* n_transfer_syn */
    buf_u8(b, 0);
    put_guid(b, be, &UUID_DHCPSRV2);
    /* C706 p_syntax_id_t.if_version is one u32: major in the low 16 bits, minor in the high 16 bits
     * (so a big-endian drep gives 00 00 00 01 for version 1.0, not 00 01 00 00) */
    buf_u32(b, be, (0u << 16) | 1u);
    put_guid(b, be, c->ndr64 ? &UUID_NDR64 : &UUID_NDR);
    buf_u32(b, be, c->ndr64 ? 1 : 2);
    pdu_finish(b, be);
}

static void build_bind_ack(buf_t *b, conn_t *c, uint32_t call_id)
{
    int be = c->be;
    static const char port[] = "49670";
    pdu_start(b, be, PDU_BIND_ACK, PFC_FIRST | PFC_LAST, call_id);
    buf_u16(b, be, MAX_FRAG);
    buf_u16(b, be, MAX_FRAG);
    buf_u32(b, be, c->assoc_group);
    buf_u16(b, be, (uint16_t)sizeof(port)); /* includes NUL */
    buf_put(b, port, sizeof(port));
    while (b->len % 4)
        buf_u8(b, 0);
    buf_u8(b, 1); /* n_results */
    buf_u8(b, 0);
    buf_u16(b, be, 0);
    buf_u16(b, be, 0); /* result: acceptance */
    buf_u16(b, be, 0); /* reason */
    put_guid(b, be, c->ndr64 ? &UUID_NDR64 : &UUID_NDR);
    buf_u32(b, be, c->ndr64 ? 1 : 2);
    pdu_finish(b, be);
}

static void build_request_op(buf_t *b, conn_t *c, uint8_t flags, uint32_t call_id, uint16_t opnum,
                             uint32_t alloc_hint, const uint8_t *stub, size_t n)
{
    int be = c->be;
    pdu_start(b, be, PDU_REQ, flags, call_id);
    buf_u32(b, be, alloc_hint);
    buf_u16(b, be, 0); /* p_cont_id */
    buf_u16(b, be, opnum);
    buf_put(b, stub, n);
    pdu_finish(b, be);
}

static void build_request(buf_t *b, conn_t *c, uint8_t flags, uint32_t call_id, uint32_t alloc_hint,
                          const uint8_t *stub, size_t n)
{
    build_request_op(b, c, flags, call_id, OPNUM, alloc_hint, stub, n);
}

static void build_response(buf_t *b, conn_t *c, uint8_t flags, uint32_t call_id, uint32_t alloc_hint,
                           const uint8_t *stub, size_t n)
{
    int be = c->be;
    pdu_start(b, be, PDU_RESP, flags, call_id);
    buf_u32(b, be, alloc_hint);
    buf_u16(b, be, 0); /* p_cont_id */
    buf_u8(b, 0);      /* cancel_count */
    buf_u8(b, 0);      /* reserved */
    buf_put(b, stub, n);
    pdu_finish(b, be);
}

/* ------------------------------------------------------------------------- */
/* NDR / NDR64 stub encoding for opnum 97                                      */
/* ------------------------------------------------------------------------- */

static void ndr_align(buf_t *b, size_t a, uint8_t pad)
{
    while (b->len % a)
        buf_u8(b, pad);
}

/* unique pointer referent / conformance counts: u32 in NDR, u64 (8-aligned) in NDR64 */
static void ndr_u3264(buf_t *b, int ndr64, int be, uint64_t v, uint8_t pad)
{
    if (ndr64) {
        ndr_align(b, 8, pad);
        buf_u64(b, be, v);
    } else {
        ndr_align(b, 4, pad);
        buf_u32(b, be, (uint32_t)v);
    }
}

static void ndr_u32(buf_t *b, int be, uint32_t v, uint8_t pad)
{
    ndr_align(b, 4, pad);
    buf_u32(b, be, v);
}

/* request parameters */
typedef struct {
    const char *srv; /* NULL: NULL unique pointer */
    uint32_t scope;
    uint64_t ref;    /* referent id (0 -> 0x00020000) */
    uint8_t pad;     /* alignment fill byte */
} req_t;

/* response parameters */
typedef struct {
    int null_stats;
    uint64_t ref;    /* referent id (0 -> 0x00020000) */
    uint8_t pad;
    uint32_t st[7];  /* numAddr, addrFree, addrInUse, partnerAddrFree, thisAddrFree, partnerAddrInUse, thisAddrInUse */
    uint32_t status;
} resp_t;

static const char *const STAT_KEYS[7] = {"num_addr", "addr_free", "addr_in_use", "partner_addr_free",
                                         "this_addr_free", "partner_addr_in_use", "this_addr_in_use"};

/* the string part of [in, unique, string] wchar_t*, general form for malformed cases */
static void ndr_wstring(buf_t *b, int ndr64, int be, uint64_t maxc, uint64_t off, uint64_t actc,
                        const char *text, size_t nchars, uint8_t pad)
{
    size_t i;
    ndr_u3264(b, ndr64, be, maxc, pad);
    ndr_u3264(b, ndr64, be, off, pad);
    ndr_u3264(b, ndr64, be, actc, pad);
    for (i = 0; i < nchars; i++)
        buf_u16(b, be, (uint16_t)(unsigned char)text[i]); /* text[len] == NUL gives the terminator */
}

static void encode_request(buf_t *b, int ndr64, int be, const req_t *r)
{
    uint64_t ref = r->ref ? r->ref : 0x00020000;
    b->len = 0;
    if (!r->srv) {
        ndr_u3264(b, ndr64, be, 0, r->pad);
    } else {
        size_t n = strlen(r->srv) + 1;
        ndr_u3264(b, ndr64, be, ref, r->pad);
        ndr_wstring(b, ndr64, be, n, 0, n, r->srv, n, r->pad);
    }
    ndr_u32(b, be, r->scope, r->pad);
}

static void encode_response(buf_t *b, int ndr64, int be, const resp_t *r)
{
    int i;
    uint64_t ref = r->ref ? r->ref : 0x00020000;
    b->len = 0;
    ndr_u3264(b, ndr64, be, r->null_stats ? 0 : ref, r->pad);
    if (!r->null_stats)
        for (i = 0; i < 7; i++)
            ndr_u32(b, be, r->st[i], r->pad);
    ndr_u32(b, be, r->status, r->pad);
}

/* ------------------------------------------------------------------------- */
/* expectation bookkeeping                                                    */
/* ------------------------------------------------------------------------- */

static exp_t *exp_new(gen_t *g, conn_t *c, int dir)
{
    exp_t *e;
    if (!g->record)
        return NULL;
    if (g->nexps == g->capexps) {
        g->capexps = g->capexps ? g->capexps * 2 : 64;
        g->exps = xrealloc(g->exps, g->capexps * sizeof(exp_t));
    }
    e = &g->exps[g->nexps];
    memset(e, 0, sizeof(*e));
    e->c = c;
    e->dir = dir;
    e->end_off = c->queued[dir];
    e->order = (uint32_t)g->nexps;
    e->is_resp = dir;
    e->ndr64 = c->ndr64;
    g->nexps++;
    return e;
}

static void resolve_exps(gen_t *g, conn_t *c, int dir, uint32_t frame)
{
    size_t i;
    for (i = g->first_unresolved; i < g->nexps; i++) {
        exp_t *e = &g->exps[i];
        if (!e->frame && e->c == c && e->dir == dir && e->end_off <= c->sent[dir]) {
            e->frame = frame;
            e->ts_us = g->pw.ts_us;
        }
    }
    while (g->first_unresolved < g->nexps && g->exps[g->first_unresolved].frame)
        g->first_unresolved++;
}

static void exp_add(exp_t *e, const char *abbrev)
{
    if (!e)
        return;
    if (e->nexp >= MAX_EXPERT)
        die("too many expert items");
    e->exp[e->nexp++] = abbrev;
}

static void reqinfo_from(reqinfo_t *ri, const req_t *r)
{
    memset(ri, 0, sizeof(*ri));
    if (r->srv) {
        ri->srv_state = K_VAL;
        snprintf(ri->srv, sizeof(ri->srv), "%s", r->srv);
    } else {
        ri->srv_state = K_NULL;
    }
    ri->scope_state = K_VAL;
    ri->scope = r->scope;
}

/* The dissector's rules, applied to the values this generator encoded. */
static void apply_stats_rules(exp_t *e)
{
    const uint32_t *s = e->st;
    if ((uint64_t)s[1] + s[2] != s[0])
        exp_add(e, "dhcpsrv2.expert.free_inuse_mismatch");
    if ((uint64_t)s[4] + s[3] != s[1])
        exp_add(e, "dhcpsrv2.expert.free_split_mismatch");
    if ((uint64_t)s[6] + s[5] != s[2])
        exp_add(e, "dhcpsrv2.expert.inuse_split_mismatch");
    if (s[1] == 0)
        exp_add(e, "dhcpsrv2.expert.scope_exhausted");
    if (s[4] == 0 && s[3] > 0)
        exp_add(e, "dhcpsrv2.expert.this_server_exhausted");
}

static void fill_response(exp_t *e, const reqinfo_t *ri, const resp_t *r)
{
    if (!e)
        return;
    e->ri = *ri;
    if (r->null_stats) {
        e->stats_state = K_NULL;
        e->util_state = K_NULL;
    } else {
        e->stats_state = K_VAL;
        e->nstats = 7;
        memcpy(e->st, r->st, sizeof(e->st));
        if (r->st[0] == 0) {
            e->util_state = K_NULL;
        } else {
            e->util_state = K_VAL;
            e->util = (double)r->st[2] * 100.0 / (double)r->st[0];
        }
        apply_stats_rules(e);
    }
    e->werr_state = K_VAL;
    e->werr = r->status;
    if (r->status != 0)
        exp_add(e, "dhcpsrv2.expert.status_error");
    if (r->status == 0 && r->null_stats)
        exp_add(e, "dhcpsrv2.expert.null_stats_success");
    if (r->status != 0 && !r->null_stats)
        exp_add(e, "dhcpsrv2.expert.stats_with_error");
}

/* ------------------------------------------------------------------------- */
/* JSON output                                                                */
/* ------------------------------------------------------------------------- */

static void json_str(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '"' || ch == '\\')
            fprintf(f, "\\%c", ch);
        else if (ch < 0x20)
            fprintf(f, "\\u%04x", ch);
        else
            fputc(ch, f);
    }
    fputc('"', f);
}

/* shortest representation that round-trips, always with a decimal point */
static void json_double(FILE *f, double v)
{
    char s[64];
    int p;
    for (p = 1; p <= 17; p++) {
        snprintf(s, sizeof(s), "%.*g", p, v);
        if (strtod(s, NULL) == v)
            break;
    }
    if (!strchr(s, '.') && !strchr(s, 'e'))
        strcat(s, ".0");
    fputs(s, f);
}

static void apply_clock_rules(gen_t *g);

static int exp_cmp(const void *a, const void *b)
{
    const exp_t *x = a, *y = b;
    if (x->frame != y->frame)
        return x->frame < y->frame ? -1 : 1;
    return x->order < y->order ? -1 : (x->order > y->order);
}

static void write_json(gen_t *g)
{
    char path[1200], ip[32];
    FILE *f;
    size_t i;
    int j, first = 1;

    for (i = 0; i < g->nexps; i++)
        if (!g->exps[i].frame)
            die("%s: PDU expectation %u never sent", g->name, (unsigned)i);
    qsort(g->exps, g->nexps, sizeof(exp_t), exp_cmp);
    apply_clock_rules(g);

    snprintf(path, sizeof(path), "%s/%s.expected.json", g->outdir, g->name);
    f = fopen(path, "w");
    if (!f)
        die("cannot create %s", path);
    fprintf(f, "{\n  \"capture\": \"%s.pcapng\",\n  \"description\": ", g->name);
    json_str(f, g->desc);
    fprintf(f, ",\n  \"pdus\": [");
    for (i = 0; i < g->nexps; i++) {
        exp_t *e = &g->exps[i];
        fprintf(f, "%s\n    {\"frame\": %u, \"type\": \"%s\", \"ndr64\": %s, \"opnum\": %d", i ? "," : "",
                (unsigned)e->frame, e->is_resp ? "response" : "request", e->ndr64 ? "true" : "false",
                e->opnum ? e->opnum : OPNUM);
        if (e->ri.srv_state == K_NULL) {
            fprintf(f, ", \"server_ip_address\": null");
        } else if (e->ri.srv_state == K_VAL) {
            fprintf(f, ", \"server_ip_address\": ");
            json_str(f, e->ri.srv);
        }
        if (e->ri.scope_state == K_VAL) {
            ip_str(e->ri.scope, ip, sizeof(ip));
            fprintf(f, ", \"scope_id\": \"%s\"", ip);
        }
        if (e->is_resp) {
            if (e->stats_state == K_NULL) {
                fprintf(f, ",\n     \"stats\": null");
            } else if (e->stats_state == K_VAL) {
                fprintf(f, ",\n     \"stats\": {");
                for (j = 0; j < e->nstats; j++)
                    fprintf(f, "%s\"%s\": %u", j ? ", " : "", STAT_KEYS[j], (unsigned)e->st[j]);
                fprintf(f, "}");
            }
            if (e->util_state == K_NULL) {
                fprintf(f, ",\n     \"utilization\": null");
            } else if (e->util_state == K_VAL) {
                fprintf(f, ",\n     \"utilization\": ");
                json_double(f, e->util);
            }
            if (e->werr_state == K_VAL)
                fprintf(f, ", \"werror\": %u", (unsigned)e->werr);
        }
        if (e->malformed)
            fprintf(f, ", \"malformed\": true");
        if (e->fs)
            fset_write(f, e->fs);
        fprintf(f, "}");
    }
    fprintf(f, "\n  ],\n  \"expert\": [");
    for (i = 0; i < g->nexps; i++) {
        exp_t *e = &g->exps[i];
        for (j = 0; j < e->nexp; j++) {
            fprintf(f, "%s\n    {\"frame\": %u, \"abbrev\": \"%s\"}", first ? "" : ",", (unsigned)e->frame,
                    e->exp[j]);
            first = 0;
        }
    }
    fprintf(f, "%s]\n}\n", first ? "" : "\n  ");
    if (fclose(f) != 0)
        die("write error on %s", path);
}

/* ------------------------------------------------------------------------- */
/* capture-level helpers                                                      */
/* ------------------------------------------------------------------------- */

static void gen_begin(gen_t *g, const char *outdir, const char *name, const char *desc)
{
    char path[1200];
    free(g->exps);
    memset(g, 0, sizeof(*g));
    g->record = 1;
    snprintf(g->outdir, sizeof(g->outdir), "%s", outdir);
    snprintf(g->name, sizeof(g->name), "%s", name);
    snprintf(g->desc, sizeof(g->desc), "%s", desc);
    g->rng.s = fnv1a(name);
    g->next_port = CLIENT_PORT0;
    hosts_reset();
    snprintf(path, sizeof(path), "%s/%s.pcapng", outdir, name);
    pcapw_open(&g->pw, path);
}

static void gen_end(gen_t *g)
{
    pcapw_close(&g->pw);
    write_json(g);
    {
        size_t i, n97 = 0;
        for (i = 0; i < g->nexps; i++) {
            if (!g->exps[i].opnum || g->exps[i].opnum == OPNUM)
                n97++;
            fset_free(g->exps[i].fs);
        }
        if (n97 == g->nexps)
            printf("%-22s %5u frames %4u opnum-97 PDUs\n", g->name, (unsigned)g->pw.frames, (unsigned)g->nexps);
        else
            printf("%-28s %5u frames %4u PDUs (%u opnum 97)\n", g->name, (unsigned)g->pw.frames,
                   (unsigned)g->nexps, (unsigned)n97);
    }
    free(g->exps);
    g->exps = NULL;
    g->nexps = g->capexps = 0;
}

/* TCP handshake + bind + bind_ack */
static void conn_open(gen_t *g, conn_t *c)
{
    buf_t b = {0};
    send_segment(g, c, 0, TH_SYN, NULL, 0);
    tick_j(g, 180, 60);
    send_segment(g, c, 1, TH_SYN | TH_ACK, NULL, 0);
    tick_j(g, 90, 30);
    send_segment(g, c, 0, TH_ACK, NULL, 0);
    tick_j(g, 120, 40);
    build_bind(&b, c, 1);
    queue_bytes(c, 0, b.p, b.len);
    flush_all(g, c, 0);
    tick_j(g, 300, 120);
    build_bind_ack(&b, c, 1);
    queue_bytes(c, 1, b.p, b.len);
    flush_all(g, c, 1);
    tick_j(g, 150, 60);
    buf_free(&b);
    c->open = 1;
}

static void conn_close(gen_t *g, conn_t *c)
{
    send_segment(g, c, 0, TH_FIN | TH_ACK, NULL, 0);
    tick_j(g, 160, 50);
    send_segment(g, c, 1, TH_FIN | TH_ACK, NULL, 0);
    tick_j(g, 80, 30);
    send_segment(g, c, 0, TH_ACK, NULL, 0);
    c->open = 0;
    conn_free(c);
}

/* queue a whole (unfragmented) request PDU and register its expectation */
static uint32_t queue_request(gen_t *g, conn_t *c, const req_t *r, reqinfo_t *ri)
{
    buf_t stub = {0}, pdu = {0};
    uint32_t cid = c->next_call_id++;
    exp_t *e;
    encode_request(&stub, c->ndr64, c->be, r);
    build_request(&pdu, c, PFC_FIRST | PFC_LAST, cid, (uint32_t)stub.len, stub.p, stub.len);
    queue_bytes(c, 0, pdu.p, pdu.len);
    reqinfo_from(ri, r);
    e = exp_new(g, c, 0);
    if (e)
        e->ri = *ri;
    buf_free(&stub);
    buf_free(&pdu);
    return cid;
}

static void queue_response(gen_t *g, conn_t *c, uint32_t cid, const reqinfo_t *ri, const resp_t *r)
{
    buf_t stub = {0}, pdu = {0};
    encode_response(&stub, c->ndr64, c->be, r);
    build_response(&pdu, c, PFC_FIRST | PFC_LAST, cid, (uint32_t)stub.len, stub.p, stub.len);
    queue_bytes(c, 1, pdu.p, pdu.len);
    fill_response(exp_new(g, c, 1), ri, r);
    buf_free(&stub);
    buf_free(&pdu);
}

/* one plain call: request segment, response segment */
static void do_call(gen_t *g, conn_t *c, const req_t *rq, const resp_t *rs)
{
    reqinfo_t ri;
    uint32_t cid = queue_request(g, c, rq, &ri);
    flush_all(g, c, 0);
    tick_j(g, 450, 400);
    queue_response(g, c, cid, &ri, rs);
    flush_all(g, c, 1);
    tick_j(g, 1800, 900);
}

static void mkstats(resp_t *r, uint32_t num, uint32_t pfree, uint32_t tfree, uint32_t pinuse, uint32_t tinuse)
{
    memset(r, 0, sizeof(*r));
    r->st[0] = num;
    r->st[1] = pfree + tfree;
    r->st[2] = pinuse + tinuse;
    r->st[3] = pfree;
    r->st[4] = tfree;
    r->st[5] = pinuse;
    r->st[6] = tinuse;
}

/* consistent stats with numAddr = free + in use */
static void mkauto(resp_t *r, uint32_t pfree, uint32_t tfree, uint32_t pinuse, uint32_t tinuse)
{
    mkstats(r, pfree + tfree + pinuse + tinuse, pfree, tfree, pinuse, tinuse);
}

static void mkraw(resp_t *r, uint32_t num, uint32_t fr, uint32_t iu, uint32_t pfree, uint32_t tfree,
                  uint32_t pinuse, uint32_t tinuse)
{
    memset(r, 0, sizeof(*r));
    r->st[0] = num;
    r->st[1] = fr;
    r->st[2] = iu;
    r->st[3] = pfree;
    r->st[4] = tfree;
    r->st[5] = pinuse;
    r->st[6] = tinuse;
}

static void mkerr(resp_t *r, uint32_t status)
{
    memset(r, 0, sizeof(*r));
    r->null_stats = 1;
    r->status = status;
}

static req_t mkreq(const char *srv, uint32_t scope)
{
    req_t r;
    memset(&r, 0, sizeof(r));
    r.srv = srv;
    r.scope = scope;
    return r;
}

/* a long but valid FQDN (labels <= 63 chars, total <= 253) */
static const char LONG_FQDN[] =
    "dhcp1-failover-statistics.scope-monitoring-collector-target-node-0001"
    ".building-07-floor-03-network-operations-center-west-wing"
    ".emea-datacenter-cluster-b-infrastructure-services"
    ".very-long-subdomain-for-dissector-tests.corp.example.com";

#define SCOPE_10 ip4(192, 168, 10, 0)
#define SCOPE_20 ip4(192, 168, 20, 0)
#define SCOPE_1030 ip4(10, 20, 30, 0)
#define SCOPE_172 ip4(172, 16, 5, 0)

/* ------------------------------------------------------------------------- */
/* scenarios                                                                  */
/* ------------------------------------------------------------------------- */

static void basic_calls(gen_t *g, conn_t *c)
{
    static const struct {
        uint32_t scope, num, pfree, tfree, pinuse, tinuse;
    } v[3] = {
        {0xC0A80A00, 200, 75, 75, 20, 30},  /* 192.168.10.0: the spec example */
        {0xC0A81400, 250, 44, 46, 79, 81},  /* 192.168.20.0 */
        {0x0A000100, 100, 18, 19, 30, 33},  /* 10.0.1.0 */
    };
    int i;
    for (i = 0; i < 3; i++) {
        req_t rq = mkreq("10.0.0.1", v[i].scope);
        resp_t rs;
        mkstats(&rs, v[i].num, v[i].pfree, v[i].tfree, v[i].pinuse, v[i].tinuse);
        do_call(g, c, &rq, &rs);
    }
}

static void sc_ndr_basic(const char *out)
{
    gen_t g = {0};
    conn_t c;
    gen_begin(&g, out, "ndr-basic",
              "NDR 2.0, one connection to 10.0.0.1, 3 successful calls (192.168.10.0, 192.168.20.0, 10.0.1.0)");
    conn_init(&g, &c, &H_CLIENT, &H_SRV1, 0, 0);
    conn_open(&g, &c);
    basic_calls(&g, &c);
    conn_close(&g, &c);
    gen_end(&g);
}

static void sc_ndr64_basic(const char *out)
{
    gen_t g = {0};
    conn_t c;
    gen_begin(&g, out, "ndr64-basic", "NDR64, the same 3 calls as ndr-basic (one connection to 10.0.0.1)");
    conn_init(&g, &c, &H_CLIENT, &H_SRV1, 1, 0);
    conn_open(&g, &c);
    basic_calls(&g, &c);
    conn_close(&g, &c);
    gen_end(&g);
}

static void sc_bigendian(const char *out)
{
    gen_t g = {0};
    conn_t c;
    req_t rq;
    resp_t rs;
    gen_begin(&g, out, "ndr-bigendian",
              "NDR 2.0 with big-endian drep (00 00 00 00): every header and stub integer and UTF-16 unit big-endian, "
              "2 calls to 10.0.0.2");
    conn_init(&g, &c, &H_CLIENT, &H_SRV2, 0, 1);
    conn_open(&g, &c);
    rq = mkreq("10.0.0.2", SCOPE_10);
    mkstats(&rs, 200, 70, 72, 27, 31);
    do_call(&g, &c, &rq, &rs);
    rq = mkreq("10.0.0.2", SCOPE_172);
    mkstats(&rs, 500, 120, 118, 131, 131);
    do_call(&g, &c, &rq, &rs);
    conn_close(&g, &c);
    gen_end(&g);
}

static void sc_null_server(const char *out)
{
    gen_t g = {0};
    conn_t c;
    int ndr64;
    gen_begin(&g, out, "null-server",
              "ServerIpAddress = NULL unique pointer: 2 calls over NDR, then 2 calls on a second connection over NDR64");
    for (ndr64 = 0; ndr64 <= 1; ndr64++) {
        req_t rq;
        resp_t rs;
        conn_init(&g, &c, &H_CLIENT, &H_SRV1, ndr64, 0);
        conn_open(&g, &c);
        rq = mkreq(NULL, SCOPE_10);
        mkstats(&rs, 200, 80, 80, 18, 22);
        do_call(&g, &c, &rq, &rs);
        rq = mkreq(NULL, SCOPE_1030);
        mkstats(&rs, 100, 25, 24, 26, 25);
        do_call(&g, &c, &rq, &rs);
        conn_close(&g, &c);
        tick(&g, 250000);
    }
    gen_end(&g);
}

static void sc_long_hostname(const char *out)
{
    gen_t g = {0};
    conn_t c;
    int ndr64;
    char desc[256];
    if (strlen(LONG_FQDN) < 200 || strlen(LONG_FQDN) > 253)
        die("LONG_FQDN length %u", (unsigned)strlen(LONG_FQDN));
    snprintf(desc, sizeof(desc),
             "ServerIpAddress = a %u-character FQDN in one unfragmented request, over NDR and (second connection) NDR64",
             (unsigned)strlen(LONG_FQDN));
    gen_begin(&g, out, "long-hostname", desc);
    for (ndr64 = 0; ndr64 <= 1; ndr64++) {
        req_t rq;
        resp_t rs;
        conn_init(&g, &c, &H_CLIENT, &H_SRV1, ndr64, 0);
        conn_open(&g, &c);
        rq = mkreq(LONG_FQDN, SCOPE_20);
        mkstats(&rs, 250, 41, 43, 82, 84);
        do_call(&g, &c, &rq, &rs);
        conn_close(&g, &c);
        tick(&g, 250000);
    }
    gen_end(&g);
}

static void sc_error_responses(const char *out)
{
    gen_t g = {0};
    conn_t c;
    req_t rq;
    resp_t rs;
    static const uint32_t errs[5] = {2, 5, 0x57, 0x4E94, 0x4E25};
    static const uint32_t scopes[5] = {0xC0A86300, 0xC0A80A00, 0x00000000, 0x0A000200, 0xC0A8FE00};
    int i;
    gen_begin(&g, out, "error-responses",
              "NULL pStats with status 2, 5, 0x57, 0x4E94, 0x4E25; non-NULL stats with 0x4E94; NULL stats with "
              "status 0 (NDR); then 2, stats-with-error and NULL-with-success again over NDR64");
    conn_init(&g, &c, &H_CLIENT, &H_SRV1, 0, 0);
    conn_open(&g, &c);
    for (i = 0; i < 5; i++) {
        rq = mkreq("10.0.0.1", scopes[i]);
        mkerr(&rs, errs[i]);
        do_call(&g, &c, &rq, &rs);
    }
    rq = mkreq("10.0.0.1", SCOPE_1030);
    mkstats(&rs, 100, 20, 22, 29, 29);
    rs.status = 0x4E94; /* stats present with an error */
    do_call(&g, &c, &rq, &rs);
    rq = mkreq("10.0.0.1", SCOPE_172);
    mkerr(&rs, 0); /* NULL stats with success */
    do_call(&g, &c, &rq, &rs);
    conn_close(&g, &c);
    tick(&g, 300000);

    conn_init(&g, &c, &H_CLIENT, &H_SRV2, 1, 0);
    conn_open(&g, &c);
    rq = mkreq("10.0.0.2", 0xC0A86300);
    mkerr(&rs, 2);
    do_call(&g, &c, &rq, &rs);
    rq = mkreq("10.0.0.2", SCOPE_1030);
    mkstats(&rs, 100, 22, 20, 29, 29);
    rs.status = 0x4E94;
    do_call(&g, &c, &rq, &rs);
    rq = mkreq("10.0.0.2", SCOPE_172);
    mkerr(&rs, 0);
    do_call(&g, &c, &rq, &rs);
    conn_close(&g, &c);
    gen_end(&g);
}

/* queue the PDU(s) of a request split into DCE/RPC fragments of the given stub sizes (0-terminated) */
static void queue_fragmented(gen_t *g, conn_t *c, int dir, uint32_t cid, const buf_t *stub, const size_t *sizes,
                             int send_each)
{
    buf_t pdu = {0};
    size_t off = 0;
    int i;
    for (i = 0; sizes[i]; i++) {
        size_t n = sizes[i];
        uint8_t flags = 0;
        if (i == 0)
            flags |= PFC_FIRST;
        if (!sizes[i + 1])
            flags |= PFC_LAST;
        if (off + n > stub->len || (!sizes[i + 1] && off + n != stub->len))
            die("bad fragment sizes");
        /* alloc_hint: stub bytes remaining from this fragment on (= total in the first fragment) */
        if (dir == 0)
            build_request(&pdu, c, flags, cid, (uint32_t)(stub->len - off), stub->p + off, n);
        else
            build_response(&pdu, c, flags, cid, (uint32_t)(stub->len - off), stub->p + off, n);
        queue_bytes(c, dir, pdu.p, pdu.len);
        off += n;
        if (send_each && sizes[i + 1]) {
            flush_all(g, c, dir);
            tick_j(g, 40, 20);
        }
    }
    buf_free(&pdu);
}

static void sc_fragmented(const char *out)
{
    gen_t g = {0};
    conn_t c;
    int ndr64;
    gen_begin(&g, out, "fragmented",
              "request in 3 DCE/RPC fragments (first/middle/last, one TCP segment each, long host name) and response "
              "in 2 fragments, then a plain call; over NDR and (second connection) NDR64");
    for (ndr64 = 0; ndr64 <= 1; ndr64++) {
        req_t rq = mkreq(LONG_FQDN, SCOPE_20);
        resp_t rs;
        reqinfo_t ri;
        buf_t stub = {0};
        size_t rsz[4], ssz[3];
        uint32_t cid;
        exp_t *e;

        conn_init(&g, &c, &H_CLIENT, &H_SRV1, ndr64, 0);
        conn_open(&g, &c);

        cid = c.next_call_id++;
        encode_request(&stub, ndr64, 0, &rq);
        rsz[0] = (stub.len / 3) & ~(size_t)7;
        rsz[1] = rsz[0];
        rsz[2] = stub.len - 2 * rsz[0];
        rsz[3] = 0;
        queue_fragmented(&g, &c, 0, cid, &stub, rsz, 1);
        reqinfo_from(&ri, &rq);
        e = exp_new(&g, &c, 0);
        e->ri = ri;
        flush_all(&g, &c, 0);
        tick_j(&g, 500, 200);

        mkstats(&rs, 250, 39, 41, 85, 85);
        encode_response(&stub, ndr64, 0, &rs);
        ssz[0] = ndr64 ? 24 : 20;
        ssz[1] = stub.len - ssz[0];
        ssz[2] = 0;
        queue_fragmented(&g, &c, 1, cid, &stub, ssz, 1);
        fill_response(exp_new(&g, &c, 1), &ri, &rs);
        flush_all(&g, &c, 1);
        tick_j(&g, 1500, 500);
        buf_free(&stub);

        rq = mkreq("10.0.0.1", SCOPE_10);
        mkstats(&rs, 200, 76, 74, 24, 26);
        do_call(&g, &c, &rq, &rs);

        conn_close(&g, &c);
        tick(&g, 250000);
    }
    gen_end(&g);
}

static void sc_coalesced_split(const char *out)
{
    gen_t g = {0};
    conn_t c;
    req_t rq[8];
    resp_t rs[8];
    reqinfo_t ri[8];
    uint32_t cid[8];
    size_t before;
    int i;
    static const uint32_t sc[8] = {0xC0A80A00, 0xC0A81400, 0x0A141E00, 0xAC100500,
                                   0xC0A80A00, 0xC0A81400, 0x0A141E00, 0xAC100500};

    gen_begin(&g, out, "tcp-coalesced-split",
              "TCP framing: 2 requests in one segment and their 2 responses in one segment; a request cut in two "
              "segments; request tail + next request head in one segment; a response cut after 20 bytes and one "
              "cut in its stub (NDR, one connection)");
    conn_init(&g, &c, &H_CLIENT, &H_SRV1, 0, 0);
    conn_open(&g, &c);
    for (i = 0; i < 8; i++) {
        rq[i] = mkreq("10.0.0.1", sc[i]);
        mkauto(&rs[i], 60 + i, 61 + i, 20 + i, 30 + i);
    }

    /* calls 1+2: pipelined requests in one segment, responses in one segment */
    cid[0] = queue_request(&g, &c, &rq[0], &ri[0]);
    cid[1] = queue_request(&g, &c, &rq[1], &ri[1]);
    flush_n(&g, &c, 0, 0);
    tick_j(&g, 700, 200);
    queue_response(&g, &c, cid[0], &ri[0], &rs[0]);
    queue_response(&g, &c, cid[1], &ri[1], &rs[1]);
    flush_n(&g, &c, 1, 0);
    tick_j(&g, 2000, 500);

    /* call 3: request split in the middle of its stub (30 of 64 bytes) */
    cid[2] = queue_request(&g, &c, &rq[2], &ri[2]);
    flush_n(&g, &c, 0, 30);
    tick_j(&g, 60, 20);
    flush_n(&g, &c, 0, 0);
    tick_j(&g, 500, 200);
    queue_response(&g, &c, cid[2], &ri[2], &rs[2]);
    flush_n(&g, &c, 1, 0);
    tick_j(&g, 2000, 500);

    /* calls 4+5: segment = request 4 + first 40 bytes of request 5; next segment = rest of request 5 */
    cid[3] = queue_request(&g, &c, &rq[3], &ri[3]);
    before = queued_unsent(&c, 0);
    cid[4] = queue_request(&g, &c, &rq[4], &ri[4]);
    flush_n(&g, &c, 0, before + 40);
    tick_j(&g, 60, 20);
    flush_n(&g, &c, 0, 0);
    tick_j(&g, 600, 200);
    queue_response(&g, &c, cid[3], &ri[3], &rs[3]);
    queue_response(&g, &c, cid[4], &ri[4], &rs[4]);
    flush_n(&g, &c, 1, 0);
    tick_j(&g, 2000, 500);

    /* call 6: response cut after 20 bytes, inside alloc_hint/p_cont_id (20 bytes, then 40).  A cut
     * inside the 16-byte common header is NOT resynchronised by Wireshark's dcerpc TCP heuristic
     * (the first segment is too short to be recognised), so it is not used here. */
    cid[5] = queue_request(&g, &c, &rq[5], &ri[5]);
    flush_n(&g, &c, 0, 0);
    tick_j(&g, 500, 200);
    queue_response(&g, &c, cid[5], &ri[5], &rs[5]);
    flush_n(&g, &c, 1, 20);
    tick_j(&g, 60, 20);
    flush_n(&g, &c, 1, 0);
    tick_j(&g, 2000, 500);

    /* call 7: response cut in its stub (44 of 60 bytes) */
    cid[6] = queue_request(&g, &c, &rq[6], &ri[6]);
    flush_n(&g, &c, 0, 0);
    tick_j(&g, 500, 200);
    queue_response(&g, &c, cid[6], &ri[6], &rs[6]);
    flush_n(&g, &c, 1, 44);
    tick_j(&g, 60, 20);
    flush_n(&g, &c, 1, 0);
    tick_j(&g, 2000, 500);

    /* call 8: plain */
    do_call(&g, &c, &rq[7], &rs[7]);
    conn_close(&g, &c);
    gen_end(&g);
}

static void sc_two_assoc(const char *out)
{
    gen_t g = {0};
    conn_t a, b;
    req_t rq;
    resp_t rs;
    reqinfo_t ria, rib;
    uint32_t ca, cb;
    int i;
    static const uint32_t sc[3] = {0xC0A80A00, 0xC0A81400, 0x0A141E00};

    gen_begin(&g, out, "two-associations",
              "two concurrent TCP connections (NDR to 10.0.0.1, NDR64 to 10.0.0.2), interleaved calls with "
              "overlapping call_ids, responses crossing; NDR64 referent ids above 32 bits");
    conn_init(&g, &a, &H_CLIENT, &H_SRV1, 0, 0);
    conn_init(&g, &b, &H_CLIENT, &H_SRV2, 1, 0);
    {
        buf_t p = {0};
        send_segment(&g, &a, 0, TH_SYN, NULL, 0);
        tick_j(&g, 100, 30);
        send_segment(&g, &b, 0, TH_SYN, NULL, 0);
        tick_j(&g, 100, 30);
        send_segment(&g, &a, 1, TH_SYN | TH_ACK, NULL, 0);
        tick_j(&g, 100, 30);
        send_segment(&g, &b, 1, TH_SYN | TH_ACK, NULL, 0);
        tick_j(&g, 100, 30);
        send_segment(&g, &a, 0, TH_ACK, NULL, 0);
        tick_j(&g, 50, 30);
        send_segment(&g, &b, 0, TH_ACK, NULL, 0);
        tick_j(&g, 100, 30);
        build_bind(&p, &a, 1);
        queue_bytes(&a, 0, p.p, p.len);
        flush_all(&g, &a, 0);
        tick_j(&g, 100, 30);
        build_bind(&p, &b, 1);
        queue_bytes(&b, 0, p.p, p.len);
        flush_all(&g, &b, 0);
        tick_j(&g, 200, 30);
        build_bind_ack(&p, &b, 1);
        queue_bytes(&b, 1, p.p, p.len);
        flush_all(&g, &b, 1);
        tick_j(&g, 100, 30);
        build_bind_ack(&p, &a, 1);
        queue_bytes(&a, 1, p.p, p.len);
        flush_all(&g, &a, 1);
        tick_j(&g, 300, 30);
        buf_free(&p);
    }
    for (i = 0; i < 3; i++) {
        /* A request, B request, B response, A response */
        rq = mkreq("10.0.0.1", sc[i]);
        ca = queue_request(&g, &a, &rq, &ria);
        flush_all(&g, &a, 0);
        tick_j(&g, 150, 50);
        rq = mkreq("10.0.0.2", sc[i]);
        rq.ref = (i == 0) ? 0x0000000100000000ULL : (i == 1) ? 0x00007ff6a1b20000ULL : 0x00020000ULL;
        cb = queue_request(&g, &b, &rq, &rib);
        flush_all(&g, &b, 0);
        tick_j(&g, 300, 50);
        mkauto(&rs, 50 + i, 52 + i, 30 + i, 31 + i);
        rs.ref = (i == 0) ? 0xdeadbeef00000000ULL : 0x00020000ULL;
        queue_response(&g, &b, cb, &rib, &rs);
        flush_all(&g, &b, 1);
        tick_j(&g, 200, 50);
        mkauto(&rs, 52 + i, 50 + i, 31 + i, 30 + i);
        queue_response(&g, &a, ca, &ria, &rs);
        flush_all(&g, &a, 1);
        tick_j(&g, 1500, 500);
    }
    conn_close(&g, &b);
    tick_j(&g, 200, 50);
    conn_close(&g, &a);
    gen_end(&g);
}

/*
 * failover pair: per round, both servers are asked about the same scopes; A's "this" = B's "partner".
 * pool[s] = addresses owned by server s, inuse[s] = leased by server s.
 */
typedef struct {
    uint32_t scope, num;
    uint32_t pool[2], inuse[2];
} fo_scope_t;

static void fo_stats(const fo_scope_t *s, int server, resp_t *r)
{
    int o = !server;
    mkstats(r, s->num, s->pool[o] - s->inuse[o], s->pool[server] - s->inuse[server], s->inuse[o], s->inuse[server]);
}

static void pair_capture(const char *out, const char *name, const char *desc, int mismatch)
{
    gen_t g = {0};
    conn_t c[2];
    fo_scope_t sc[3] = {
        {0xC0A80A00, 200, {100, 100}, {48, 52}},
        {0xC0A81400, 250, {125, 125}, {60, 63}},
        {0x0A141E00, 100, {50, 50}, {22, 21}},
    };
    int round, s, k;

    gen_begin(&g, out, name, desc);
    conn_init(&g, &c[0], &H_CLIENT, &H_SRV1, 0, 0);
    conn_open(&g, &c[0]);
    tick_j(&g, 800, 200);
    conn_init(&g, &c[1], &H_CLIENT, &H_SRV2, 1, 0);
    conn_open(&g, &c[1]);
    for (round = 0; round < 3; round++) {
        set_time(&g, (uint64_t)round * 60000000ULL + 20000);
        for (k = 0; k < 3; k++) {
            for (s = 0; s < 2; s++) {
                req_t rq = mkreq(s ? "dhcp2.corp.example.com" : "10.0.0.1", sc[k].scope);
                resp_t rs;
                if (s == 0) { /* impacket-like client on A: random referent ids, 0xbf padding */
                    rq.ref = 0x00010000u | (rng_next(&g.rng) & 0xfffcu);
                    rq.pad = 0xbf;
                }
                fo_stats(&sc[k], s, &rs);
                if (s == 1 && mismatch && k == 1 && round >= 1) {
                    /* B's view of A's free addresses lags: A says this_free 40, B says partner_free 35 */
                    if (rs.st[3] != 40)
                        die("mismatch scenario drift");
                    rs.st[3] = 35;
                    rs.st[1] = rs.st[3] + rs.st[4];
                    rs.st[5] = rs.st[5] + 5; /* B believes 5 more are leased by A: stays self-consistent */
                    rs.st[2] = rs.st[5] + rs.st[6];
                }
                do_call(&g, &c[s], &rq, &rs);
                tick_j(&g, 200, 100);
            }
        }
        /* the next minute: leases come and go, both views move together */
        sc[0].inuse[0] += 2;
        sc[0].inuse[1] -= 1;
        sc[1].inuse[0] = (round == 0) ? 85 : 86; /* A: this_free 40, then 39 */
        sc[1].inuse[1] += 1;
        sc[2].inuse[0] -= 1;
        sc[2].inuse[1] += 2;
        if (mismatch && round == 1)
            sc[1].inuse[0] = 85; /* keep A at this_free 40 for the third round too */
    }
    conn_close(&g, &c[0]);
    tick_j(&g, 300, 100);
    conn_close(&g, &c[1]);
    gen_end(&g);
}

static void sc_failover_pair(const char *out)
{
    pair_capture(out, "failover-pair",
                 "10.0.0.1 (NDR, impacket-style random referents and 0xbf padding) and 10.0.0.2 (NDR64, host name "
                 "dhcp2.corp.example.com) polled for the same 3 scopes, 3 rounds 1 minute apart; consistent pair "
                 "(A.this_* = B.partner_* and vice versa)",
                 0);
}

static void sc_partner_mismatch(const char *out)
{
    pair_capture(out, "partner-mismatch",
                 "like failover-pair, but in rounds 2 and 3 the servers disagree on 192.168.20.0: 10.0.0.1 reports "
                 "this_addr_free 40 while 10.0.0.2 reports partner_addr_free 35 (each response self-consistent)",
                 1);
}

/*
 * A monitoring script's polling (issue 10): both partners polled back to back
 * for six scopes, A then B for each scope, rounds 5 s apart, 15 rounds; the
 * pools change only between rounds, so within a round the two servers agree
 * exactly -- except 10.10.4.0, where B's view of A lags by 3 free addresses
 * (3 more in use) in every round (a planted, persistent mismatch).  One
 * connection per server for the whole capture; `ndr64` selects the syntax
 * of both.
 */
static void fast_poll_capture(const char *out, const char *name, int ndr64)
{
    gen_t g = {0};
    conn_t c[2];
    fo_scope_t sc[6] = {
        {0x0A0A0000, 100, {50, 50}, {20, 21}},
        {0x0A0A0100, 200, {100, 100}, {40, 45}},
        {0x0A0A0200, 250, {125, 125}, {60, 61}},
        {0x0A0A0300, 100, {50, 50}, {30, 12}},
        {0x0A0A0400, 400, {200, 200}, {120, 110}},     /* the planted mismatch */
        {0x0A0A0500, 500, {250, 250}, {100, 150}},
    };
    int round, s, k;
    char desc[600];

    snprintf(desc, sizeof(desc),
             "monitoring-rate polling (%s): 10.0.0.1 then 10.0.0.2 (a few ms apart) for each of 6 scopes "
             "10.10.0.0-10.10.5.0, 15 rounds 5 s apart; pools change only between rounds; on 10.10.4.0 "
             "10.0.0.2 reports partner_addr_free 3 lower and partner_addr_in_use 3 higher than 10.0.0.1's "
             "this_* in every round (each response self-consistent)", ndr64 ? "NDR64" : "NDR");
    gen_begin(&g, out, name, desc);
    conn_init(&g, &c[0], &H_CLIENT, &H_SRV1, ndr64, 0);
    conn_open(&g, &c[0]);
    tick_j(&g, 800, 200);
    conn_init(&g, &c[1], &H_CLIENT, &H_SRV2, ndr64, 0);
    conn_open(&g, &c[1]);
    for (round = 0; round < 15; round++) {
        set_time(&g, (uint64_t)round * 5000000ULL + 50000);
        for (k = 0; k < 6; k++) {
            for (s = 0; s < 2; s++) {
                req_t rq = mkreq(s ? "10.0.0.2" : "10.0.0.1", sc[k].scope);
                resp_t rs;
                fo_stats(&sc[k], s, &rs);
                if (s == 1 && k == 4) {
                    rs.st[3] -= 3;                  /* partner_addr_free */
                    rs.st[1] = rs.st[3] + rs.st[4];
                    rs.st[5] += 3;                  /* partner_addr_in_use */
                    rs.st[2] = rs.st[5] + rs.st[6];
                }
                do_call(&g, &c[s], &rq, &rs);
                tick_j(&g, 1500, 500);
            }
        }
        /* between rounds: leases come and go on both servers */
        for (k = 0; k < 6; k++) {
            sc[k].inuse[0] = (uint32_t)((int)sc[k].inuse[0] + ((round + k) % 3) - 1);
            sc[k].inuse[1] = (uint32_t)((int)sc[k].inuse[1] + ((round + 2 * k) % 3) - 1);
        }
    }
    conn_close(&g, &c[0]);
    tick_j(&g, 300, 100);
    conn_close(&g, &c[1]);
    gen_end(&g);
}

static void sc_fast_poll(const char *out)
{
    fast_poll_capture(out, "fast-poll-ndr", 0);
    fast_poll_capture(out, "fast-poll-ndr64", 1);
}

/* malformed requests/responses, each followed by a normal call */
static void sc_malformed(const char *out)
{
    gen_t g = {0};
    conn_t c;
    buf_t stub = {0}, pdu = {0};
    req_t nrq;
    resp_t nrs, rs;
    reqinfo_t ri;
    uint32_t cid;
    exp_t *e;
    int k;

    gen_begin(&g, out, "malformed",
              "NDR, one connection: (a) response truncated after 3 counters, (b) string actual_count 500 past the "
              "data, (c) actual_count 9 > max_count 5, (d) string without NUL, (e) string offset 4, (f) 2-byte "
              "request stub, (g) response with a referent and no counters; each followed by a normal call");
    conn_init(&g, &c, &H_CLIENT, &H_SRV1, 0, 0);
    conn_open(&g, &c);
    nrq = mkreq("10.0.0.1", SCOPE_10);
    mkstats(&nrs, 200, 75, 75, 20, 30);

    for (k = 0; k < 7; k++) {
        int req_custom = (k >= 1 && k <= 5);
        cid = c.next_call_id++;
        memset(&ri, 0, sizeof(ri));

        /* ---- request ---- */
        if (!req_custom) {
            req_t rq = mkreq("10.0.0.1", k == 0 ? SCOPE_20 : SCOPE_172);
            encode_request(&stub, 0, 0, &rq);
            reqinfo_from(&ri, &rq);
        } else {
            stub.len = 0;
            switch (k) {
            case 1: /* (b) actual_count 500 runs past the data */
                ndr_u3264(&stub, 0, 0, 0x00020000, 0);
                ndr_wstring(&stub, 0, 0, 500, 0, 500, "10.0.0.1", 9, 0);
                ndr_u32(&stub, 0, SCOPE_10, 0);
                break;
            case 2: /* (c) actual_count 9 > max_count 5, data for 9 */
                ndr_u3264(&stub, 0, 0, 0x00020000, 0);
                ndr_wstring(&stub, 0, 0, 5, 0, 9, "10.0.0.1", 9, 0);
                ndr_u32(&stub, 0, SCOPE_10, 0);
                ri.srv_state = K_VAL;
                strcpy(ri.srv, "10.0.0.1");
                ri.scope_state = K_VAL;
                ri.scope = SCOPE_10;
                break;
            case 3: /* (d) no NUL terminator */
                ndr_u3264(&stub, 0, 0, 0x00020000, 0);
                ndr_wstring(&stub, 0, 0, 8, 0, 8, "10.0.0.1", 8, 0);
                ndr_u32(&stub, 0, SCOPE_20, 0);
                ri.srv_state = K_VAL;
                strcpy(ri.srv, "10.0.0.1");
                ri.scope_state = K_VAL;
                ri.scope = SCOPE_20;
                break;
            case 4: /* (e) offset 4 (max 13 = offset 4 + actual 9) */
                ndr_u3264(&stub, 0, 0, 0x00020000, 0);
                ndr_wstring(&stub, 0, 0, 13, 4, 9, "10.0.0.1", 9, 0);
                ndr_u32(&stub, 0, SCOPE_1030, 0);
                ri.srv_state = K_VAL;
                strcpy(ri.srv, "10.0.0.1");
                ri.scope_state = K_VAL;
                ri.scope = SCOPE_1030;
                break;
            case 5: /* (f) 2-byte stub */
                buf_u8(&stub, 0x00);
                buf_u8(&stub, 0x00);
                break;
            }
        }
        build_request(&pdu, &c, PFC_FIRST | PFC_LAST, cid, (uint32_t)stub.len, stub.p, stub.len);
        queue_bytes(&c, 0, pdu.p, pdu.len);
        e = exp_new(&g, &c, 0);
        e->ri = ri;
        switch (k) {
        case 1:
            e->malformed = 1;
            exp_add(e, "dhcpsrv2.ndr.count_too_large");
            break;
        case 2:
            exp_add(e, "dhcpsrv2.ndr.actual_count_gt_max_count");
            break;
        case 3:
            exp_add(e, "dhcpsrv2.ndr.missing_terminator");
            break;
        case 4:
            exp_add(e, "dhcpsrv2.ndr.nonzero_offset");
            break;
        case 5:
            e->malformed = 1;
            exp_add(e, "dhcpsrv2.ndr.truncated");
            break;
        }
        flush_all(&g, &c, 0);
        tick_j(&g, 450, 300);

        /* ---- response ---- */
        if (k == 0 || k == 6) {
            stub.len = 0;
            ndr_u3264(&stub, 0, 0, 0x00020000, 0);
            if (k == 0) { /* (a) three counters, then the stub ends */
                ndr_u32(&stub, 0, 250, 0);
                ndr_u32(&stub, 0, 86, 0);
                ndr_u32(&stub, 0, 164, 0);
            }
            build_response(&pdu, &c, PFC_FIRST | PFC_LAST, cid, (uint32_t)stub.len, stub.p, stub.len);
            queue_bytes(&c, 1, pdu.p, pdu.len);
            e = exp_new(&g, &c, 1);
            e->ri = ri;
            e->malformed = 1;
            if (k == 0) {
                e->stats_state = K_VAL;
                e->nstats = 3;
                e->st[0] = 250;
                e->st[1] = 86;
                e->st[2] = 164;
            }
            exp_add(e, "dhcpsrv2.ndr.truncated");
        } else {
            if (k == 1 || k == 5)
                mkerr(&rs, 0x57); /* the server could not use the request */
            else
                mkauto(&rs, 30 + k, 31 + k, 40 + k, 41 + k);
            encode_response(&stub, 0, 0, &rs);
            build_response(&pdu, &c, PFC_FIRST | PFC_LAST, cid, (uint32_t)stub.len, stub.p, stub.len);
            queue_bytes(&c, 1, pdu.p, pdu.len);
            fill_response(exp_new(&g, &c, 1), &ri, &rs);
        }
        flush_all(&g, &c, 1);
        tick_j(&g, 1500, 500);

        /* ---- the normal call that must decode normally ---- */
        do_call(&g, &c, &nrq, &nrs);
    }
    buf_free(&stub);
    buf_free(&pdu);
    conn_close(&g, &c);
    gen_end(&g);
}

static void sc_inconsistent(const char *out)
{
    gen_t g = {0};
    conn_t c;
    req_t rq;
    resp_t rs[7];
    int i;
    static const uint32_t sc[7] = {0xC0A80A00, 0xC0A81400, 0x0A141E00, 0xAC100500,
                                   0xC0A80B00, 0xC0A80C00, 0xC0A80D00};

    gen_begin(&g, out, "inconsistent-counters",
              "NDR, one consistent call, then 6 successful responses each breaking one invariant: free+in_use != num, "
              "free split, in-use split, addr_free 0, this_addr_free 0 with partner free, num_addr 0");
    mkstats(&rs[0], 200, 75, 75, 20, 30);                /* consistent */
    mkraw(&rs[1], 200, 150, 40, 75, 75, 20, 20);         /* 150 + 40 != 200 */
    mkraw(&rs[2], 250, 90, 160, 44, 40, 79, 81);         /* 44 + 40 != 90 */
    mkraw(&rs[3], 100, 37, 63, 18, 19, 30, 30);          /* 30 + 30 != 63 */
    mkraw(&rs[4], 500, 0, 500, 0, 0, 245, 255);          /* scope exhausted */
    mkraw(&rs[5], 200, 20, 180, 20, 0, 85, 95);          /* this server exhausted */
    mkraw(&rs[6], 0, 0, 0, 0, 0, 0, 0);                  /* no addresses: no utilization */
    conn_init(&g, &c, &H_CLIENT, &H_SRV1, 0, 0);
    conn_open(&g, &c);
    for (i = 0; i < 7; i++) {
        rq = mkreq("10.0.0.1", sc[i]);
        do_call(&g, &c, &rq, &rs[i]);
    }
    conn_close(&g, &c);
    gen_end(&g);
}

/* the realistic one-hour demo */
static void sc_demo(const char *out)
{
    gen_t g = {0};
    conn_t c;
    fo_scope_t sc[4] = {
        {0xC0A80A00, 200, {100, 100}, {48, 52}},
        {0xC0A81400, 250, {125, 125}, {65, 66}},
        {0x0A141E00, 100, {50, 50}, {21, 23}},
        {0xAC100500, 500, {250, 250}, {160, 152}},
    };
    int round, s, k;

    gen_begin(&g, out, "demo",
              "failover pair 10.0.0.1/10.0.0.2 polled every minute for one hour (61 rounds) over 4 scopes; "
              "192.168.20.0 drains on 10.0.0.1 (this_addr_free 60 -> 0 at minute 56); 10.0.0.2 answers "
              "ERROR_ACCESS_DENIED for 10.20.30.0 in round 37; NDR/NDR64 alternate");
    for (round = 0; round <= 60; round++) {
        /* state for this minute */
        if (round > 0) {
            for (k = 0; k < 4; k++) {
                for (s = 0; s < 2; s++) {
                    uint32_t lo, hi;
                    int d;
                    if (k == 1 && s == 0)
                        continue; /* the draining pool, set below */
                    d = (int)rng_below(&g.rng, 5) - 2;
                    lo = sc[k].pool[s] * 3 / 10;
                    hi = sc[k].pool[s] * 7 / 10;
                    if (k == 1) { /* partner keeps 55..62 free */
                        lo = sc[k].pool[s] - 62;
                        hi = sc[k].pool[s] - 55;
                    }
                    if (d < 0 && sc[k].inuse[s] < lo + (uint32_t)(-d))
                        d = -d;
                    if (d > 0 && sc[k].inuse[s] + (uint32_t)d > hi)
                        d = -d;
                    sc[k].inuse[s] = (uint32_t)((int)sc[k].inuse[s] + d);
                }
            }
        }
        {
            /* A's free pool in 192.168.20.0: 60 at minute 0, linear to 0 at minute 56 */
            uint32_t fr = round >= 56 ? 0 : (uint32_t)((60 * (56 - round) * 2 + 56) / 112);
            sc[1].inuse[0] = sc[1].pool[0] - fr;
        }
        for (s = 0; s < 2; s++) {
            host_t *h = s ? &H_SRV2 : &H_SRV1;
            const char *name = s ? "dhcp2.corp.example.com" : "dhcp1.corp.example.com";
            const char *ipt = s ? "10.0.0.2" : "10.0.0.1";
            int ndr64 = (round + s) & 1;
            set_time(&g, (uint64_t)round * 60000000ULL + (uint64_t)s * 400000ULL + 5000);
            conn_init(&g, &c, &H_CLIENT, h, ndr64, 0);
            conn_open(&g, &c);
            for (k = 0; k < 4; k++) {
                req_t rq = mkreq(round % 15 == 7 ? name : ipt, sc[k].scope);
                resp_t rs;
                if (s == 1 && round == 37 && k == 2)
                    mkerr(&rs, 5); /* ERROR_ACCESS_DENIED */
                else
                    fo_stats(&sc[k], s, &rs);
                do_call(&g, &c, &rq, &rs);
            }
            conn_close(&g, &c);
        }
    }
    gen_end(&g);
}

/* ------------------------------------------------------------------------- */
/* failover family: opnums 89-96, 98-100 and 125                              */
/* ------------------------------------------------------------------------- */

/*
 * Expected "fields" of one PDU: filter name -> every value, in the order the
 * stub carries them, as `tshark -T json` prints them.  Each value remembers the
 * stub offset where its bytes end, so that a truncated stub keeps only what is
 * still complete.  `groups` lists the field names of the method: those without
 * a value go to "absent".
 */
typedef struct {
    char *name;
    char **vals;
    size_t *ends;
    int n, cap;
} fent_t;

#define FSET_GROUPS 3

struct fset {
    fent_t *e;
    int n, cap;
    const char *const *groups[FSET_GROUPS];
};
typedef struct fset fset_t;

static char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = xrealloc(NULL, n);
    memcpy(p, s, n);
    return p;
}

static fset_t *fset_new(const char *const *g0, const char *const *g1, const char *const *g2)
{
    fset_t *fs = xrealloc(NULL, sizeof(*fs));
    memset(fs, 0, sizeof(*fs));
    fs->groups[0] = g0;
    fs->groups[1] = g1;
    fs->groups[2] = g2;
    return fs;
}

static fent_t *fset_entry(fset_t *fs, const char *name)
{
    int i;
    for (i = 0; i < fs->n; i++)
        if (strcmp(fs->e[i].name, name) == 0)
            return &fs->e[i];
    if (fs->n == fs->cap) {
        fs->cap = fs->cap ? fs->cap * 2 : 16;
        fs->e = xrealloc(fs->e, (size_t)fs->cap * sizeof(fent_t));
    }
    memset(&fs->e[fs->n], 0, sizeof(fent_t));
    fs->e[fs->n].name = xstrdup(name);
    return &fs->e[fs->n++];
}

static void fset_add(fset_t *fs, const char *name, size_t end, const char *fmt, ...)
{
    fent_t *fe;
    char v[1024];
    va_list ap;
    if (!fs)
        return;
    va_start(ap, fmt);
    vsnprintf(v, sizeof(v), fmt, ap);
    va_end(ap);
    fe = fset_entry(fs, name);
    if (fe->n == fe->cap) {
        fe->cap = fe->cap ? fe->cap * 2 : 4;
        fe->vals = xrealloc(fe->vals, (size_t)fe->cap * sizeof(char *));
        fe->ends = xrealloc(fe->ends, (size_t)fe->cap * sizeof(size_t));
    }
    fe->vals[fe->n] = xstrdup(v);
    fe->ends[fe->n] = end;
    fe->n++;
}

/* the stub was cut after `len` bytes: values whose bytes are not all there go */
static void fset_truncate(fset_t *fs, size_t len)
{
    int i, j, k;
    for (i = 0; i < fs->n; i++) {
        fent_t *fe = &fs->e[i];
        for (j = k = 0; j < fe->n; j++) {
            if (fe->ends[j] <= len) {
                fe->vals[k] = fe->vals[j];
                fe->ends[k++] = fe->ends[j];
            } else {
                free(fe->vals[j]);
            }
        }
        fe->n = k;
    }
}

static int fset_has(const fset_t *fs, const char *name)
{
    int i;
    for (i = 0; i < fs->n; i++)
        if (strcmp(fs->e[i].name, name) == 0 && fs->e[i].n > 0)
            return 1;
    return 0;
}

static void fset_write(FILE *f, const fset_t *fs)
{
    int i, j, first = 1;
    fprintf(f, ",\n     \"fields\": {");
    for (i = 0; i < fs->n; i++) {
        if (!fs->e[i].n)
            continue;
        fprintf(f, "%s\n       ", first ? "" : ",");
        json_str(f, fs->e[i].name);
        fprintf(f, ": [");
        for (j = 0; j < fs->e[i].n; j++) {
            if (j)
                fprintf(f, ", ");
            json_str(f, fs->e[i].vals[j]);
        }
        fprintf(f, "]");
        first = 0;
    }
    fprintf(f, "%s},\n     \"absent\": [", first ? "" : "\n     ");
    first = 1;
    /* every field of the method without a value, then emptied fields outside the groups */
    for (i = 0; i < FSET_GROUPS; i++) {
        const char *const *gr = fs->groups[i];
        for (; gr && *gr; gr++) {
            if (fset_has(fs, *gr))
                continue;
            fprintf(f, "%s", first ? "" : ", ");
            json_str(f, *gr);
            first = 0;
        }
    }
    for (i = 0; i < fs->n; i++) {
        int in_group = 0;
        const char *const *gr;
        if (fs->e[i].n)
            continue;
        for (j = 0; j < FSET_GROUPS; j++)
            for (gr = fs->groups[j]; gr && *gr; gr++)
                if (strcmp(*gr, fs->e[i].name) == 0)
                    in_group = 1;
        if (in_group)
            continue;
        fprintf(f, "%s", first ? "" : ", ");
        json_str(f, fs->e[i].name);
        first = 0;
    }
    fprintf(f, "]");
}

static void fset_free(fset_t *fs)
{
    int i, j;
    if (!fs)
        return;
    for (i = 0; i < fs->n; i++) {
        for (j = 0; j < fs->e[i].n; j++)
            free(fs->e[i].vals[j]);
        free(fs->e[i].vals);
        free(fs->e[i].ends);
        free(fs->e[i].name);
    }
    free(fs->e);
    free(fs);
}

/* --- field names (the dissector's filter names) and the methods' groups --- */

#define FREL "dhcpsrv2.failover_relationship."
#define FCI "dhcpsrv2.failover_client_info."

static const char *const G_REL[] = {
    FREL "primary_server", FREL "secondary_server", FREL "mode", FREL "server_type", FREL "state",
    FREL "prev_state", FREL "mclt", FREL "safe_period", FREL "relationship_name",
    FREL "primary_server_name", FREL "secondary_server_name", FREL "percentage", FREL "shared_secret",
    "dhcpsrv2.ip_array.num_elements", "dhcpsrv2.ip_array.element", NULL};
static const char *const G_SET[] = {
    "dhcpsrv2.set_relationship.flags", "dhcpsrv2.set_relationship.flags.mclt",
    "dhcpsrv2.set_relationship.flags.safeperiod", "dhcpsrv2.set_relationship.flags.changestate",
    "dhcpsrv2.set_relationship.flags.percentage", "dhcpsrv2.set_relationship.flags.mode",
    "dhcpsrv2.set_relationship.flags.prevstate", NULL};
static const char *const G_NAME[] = {"dhcpsrv2.relationship_name", NULL};
static const char *const G_ENUM[] = {
    "dhcpsrv2.resume_handle", "dhcpsrv2.preferred_maximum", "dhcpsrv2.relationship_read",
    "dhcpsrv2.relationship_total", "dhcpsrv2.failover_relationship_array.num_elements", NULL};
static const char *const G_SEARCH[] = {
    "dhcpsrv2.search_info.search_type", "dhcpsrv2.search_info.client_ip_address",
    "dhcpsrv2.search_info.client_hardware_address", "dhcpsrv2.search_info.client_name",
    "dhcpsrv2.binary_data.data_length", NULL};
static const char *const G_CINFO[] = {
    FCI "client_ip_address", FCI "subnet_mask", FCI "client_hardware_address", FCI "client_name",
    FCI "client_comment", FCI "client_lease_expires", FCI "owner_host.ip_address",
    FCI "owner_host.net_bios_name", FCI "owner_host.host_name", FCI "client_type", FCI "address_state",
    FCI "address_state.state", FCI "address_state.name_protection", FCI "address_state.dns", FCI "status",
    FCI "probation_ends", FCI "quarantine_capable", FCI "sent_pot_exp_time", FCI "ack_pot_exp_time",
    FCI "recv_pot_exp_time", FCI "start_time", FCI "clt_last_trans_time", FCI "last_bnd_upd_time",
    FCI "bnd_msg_status", FCI "policy_name", FCI "flags", NULL};
static const char *const G_TIME[] = {"dhcpsrv2.system_time", "dhcpsrv2.max_allowed_delta_time",
                                     "dhcpsrv2.clock_offset", NULL};
static const char *const G_ADDR[] = {"dhcpsrv2.subnet_address", "dhcpsrv2.address_status", NULL};

/* the fields either direction of a method can show */
static fset_t *fset_for(uint16_t opnum)
{
    switch (opnum) {
    case 89: case 94: case 95: case 96:
        return fset_new(G_REL, NULL, NULL);
    case 90:
        return fset_new(G_SET, G_REL, NULL);
    case 91: case 100:
        return fset_new(G_NAME, NULL, NULL);
    case 92:
        return fset_new(G_NAME, G_REL, NULL);
    case 93:
        return fset_new(G_ENUM, G_REL, NULL);
    case 98:
        return fset_new(G_SEARCH, G_CINFO, NULL);
    case 99:
        return fset_new(G_TIME, NULL, NULL);
    case 125:
        return fset_new(G_ADDR, NULL, NULL);
    }
    die("no field set for opnum %u", (unsigned)opnum);
    return NULL;
}

/* --- display formats of tshark -T json --- */

static const char *fmt_ip(uint32_t v)
{
    static char s[8][20];
    static int k;
    k = (k + 1) & 7;
    ip_str(v, s[k], sizeof(s[k]));
    return s[k];
}

/* FT_ABSOLUTE_TIME, ABSOLUTE_TIME_UTC (TZ=UTC): "Nov  2, 2026 08:00:00.000000000 UTC" */
static const char *fmt_abs_time(int64_t secs, uint32_t nsecs)
{
    static const char *const mon[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    static char s[8][64];
    static int k;
    int64_t days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
    int64_t rem = secs - days * 86400;
    int64_t z, era, doe, yoe, y, doy, mp, d, m;
    /* civil_from_days (H. Hinnant), proleptic Gregorian, UTC */
    z = days + 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = z - era * 146097;
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    y = yoe + era * 400;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    d = doy - (153 * mp + 2) / 5 + 1;
    m = mp < 10 ? mp + 3 : mp - 9;
    if (m <= 2)
        y++;
    k = (k + 1) & 7;
    snprintf(s[k], sizeof(s[k]), "%s %2d, %lld %02d:%02d:%02d.%09u UTC", mon[m - 1], (int)d, (long long)y,
             (int)(rem / 3600), (int)(rem / 60 % 60), (int)(rem % 60), (unsigned)nsecs);
    return s[k];
}

#define FILETIME_UNIX_DIFF 11644473600ULL /* seconds from 1601-01-01 to 1970-01-01 */

static uint64_t filetime_of(uint64_t unix_secs, uint32_t hundred_ns)
{
    return (unix_secs + FILETIME_UNIX_DIFF) * 10000000ULL + hundred_ns;
}

static const char *fmt_filetime(uint64_t ft)
{
    return fmt_abs_time((int64_t)(ft / 10000000ULL) - (int64_t)FILETIME_UNIX_DIFF,
                        (uint32_t)(ft % 10000000ULL) * 100u);
}

static const char *fmt_bytes(const uint8_t *p, size_t n)
{
    static char s[4][3 * 64 + 1];
    static int k;
    size_t i;
    char *q;
    k = (k + 1) & 3;
    q = s[k];
    *q = 0;
    if (n > 64)
        die("byte field too long");
    for (i = 0; i < n; i++)
        q += sprintf(q, "%s%02x", i ? ":" : "", p[i]);
    return s[k];
}

/* --- NDR / NDR64 writer with field recording --- */

typedef struct {
    buf_t b;
    int ndr64;
    uint32_t next_ref; /* referent ids: 0x00020000, +4 per non-NULL pointer of the stub */
    fset_t *fs;
} nw_t;

static void nw_init(nw_t *w, int ndr64, fset_t *fs)
{
    memset(w, 0, sizeof(*w));
    w->ndr64 = ndr64;
    w->next_ref = 0x00020000;
    w->fs = fs;
}

#define NWF(w, name, ...) fset_add((w)->fs, (name), (w)->b.len, __VA_ARGS__)

static void nw_align(nw_t *w, size_t a)
{
    ndr_align(&w->b, a, 0);
}

/* alignment of a structure with pointers: 4 (NDR), 8 (NDR64) */
static void nw_align_ptr(nw_t *w)
{
    nw_align(w, w->ndr64 ? 8 : 4);
}

/* NDR64 trailing gap of a structure with pointers */
static void nw_struct_end(nw_t *w)
{
    if (w->ndr64)
        nw_align(w, 8);
}

static void nw_u8(nw_t *w, uint8_t v)
{
    buf_u8(&w->b, v);
}

static void nw_u32(nw_t *w, uint32_t v)
{
    ndr_u32(&w->b, 0, v, 0);
}

/* enum without [v1_enum]: 2 bytes in NDR, 4 in NDR64 */
static void nw_enum(nw_t *w, uint32_t v)
{
    if (w->ndr64) {
        nw_u32(w, v);
    } else {
        nw_align(w, 2);
        buf_u16(&w->b, 0, (uint16_t)v);
    }
}

/* conformance / variance counts */
static void nw_cnt(nw_t *w, uint64_t v)
{
    ndr_u3264(&w->b, w->ndr64, 0, v, 0);
}

static void nw_ptr(nw_t *w, int nonnull)
{
    uint64_t id = 0;
    if (nonnull) {
        id = w->next_ref;
        w->next_ref += 4;
    }
    ndr_u3264(&w->b, w->ndr64, 0, id, 0);
}

/* referent of a [string] wchar_t*: max, offset, actual, UTF-16 + NUL (ASCII text) */
static void nw_wstr(nw_t *w, const char *s)
{
    size_t n = strlen(s) + 1;
    ndr_wstring(&w->b, w->ndr64, 0, n, 0, n, s, n, 0);
}

/* a string referent and its field */
static void nw_wstr_f(nw_t *w, const char *field, const char *s)
{
    nw_wstr(w, s);
    NWF(w, field, "%s", s);
}

/* DHCP_IP_ADDRESS as a field (FT_IPv4) */
static void nw_ip_f(nw_t *w, const char *field, uint32_t v)
{
    nw_u32(w, v);
    NWF(w, field, "%s", fmt_ip(v));
}

static void nw_u32_f(nw_t *w, const char *field, uint32_t v)
{
    nw_u32(w, v);
    NWF(w, field, "%u", (unsigned)v);
}

/* [in, unique, string] DHCP_SRV_HANDLE ServerIpAddress */
static void nw_server_handle(nw_t *w, const char *srv)
{
    nw_ptr(w, srv != NULL);
    if (srv)
        nw_wstr(w, srv);
}

/* --- DHCP_FAILOVER_RELATIONSHIP (2.2.1.2.98) and DHCP_IP_ARRAY (2.2.1.2.46) --- */

typedef struct {
    uint32_t primary, secondary;
    uint32_t mode, server_type, state, prev_state; /* enums */
    uint32_t mclt, safe_period;
    const char *name, *pname, *sname;              /* NULL: NULL pointer */
    int has_scopes;                                /* 0: pScopes NULL */
    uint32_t num_field;                            /* DHCP_IP_ARRAY.NumElements as sent */
    int nscopes;                                   /* array conformance = addresses sent */
    uint32_t scopes[4];
    uint8_t percentage;
    const char *secret;
} rel_t;

enum { FSM_NO_STATE, FSM_INIT, FSM_STARTUP, FSM_NORMAL, FSM_COMMUNICATION_INT, FSM_PARTNER_DOWN,
       FSM_POTENTIAL_CONFLICT, FSM_CONFLICT_DONE, FSM_RESOLUTION_INT, FSM_RECOVER, FSM_RECOVER_WAIT,
       FSM_RECOVER_DONE };

static void rel_flat(nw_t *w, const rel_t *r)
{
    nw_align_ptr(w);
    nw_ip_f(w, FREL "primary_server", r->primary);
    nw_ip_f(w, FREL "secondary_server", r->secondary);
    nw_enum(w, r->mode);
    NWF(w, FREL "mode", "%u", (unsigned)r->mode);
    nw_enum(w, r->server_type);
    NWF(w, FREL "server_type", "%u", (unsigned)r->server_type);
    nw_enum(w, r->state);
    NWF(w, FREL "state", "%u", (unsigned)r->state);
    nw_enum(w, r->prev_state);
    NWF(w, FREL "prev_state", "%u", (unsigned)r->prev_state);
    nw_u32_f(w, FREL "mclt", r->mclt);
    nw_u32_f(w, FREL "safe_period", r->safe_period);
    nw_ptr(w, r->name != NULL);
    nw_ptr(w, r->pname != NULL);
    nw_ptr(w, r->sname != NULL);
    nw_ptr(w, r->has_scopes);
    nw_u8(w, r->percentage);
    NWF(w, FREL "percentage", "%u", (unsigned)r->percentage);
    nw_ptr(w, r->secret != NULL);
    nw_struct_end(w);
}

/* the deferred referents, in member order, depth first */
static void rel_deferred(nw_t *w, const rel_t *r)
{
    int i;
    if (r->name)
        nw_wstr_f(w, FREL "relationship_name", r->name);
    if (r->pname)
        nw_wstr_f(w, FREL "primary_server_name", r->pname);
    if (r->sname)
        nw_wstr_f(w, FREL "secondary_server_name", r->sname);
    if (r->has_scopes) {
        nw_align_ptr(w);
        nw_u32_f(w, "dhcpsrv2.ip_array.num_elements", r->num_field);
        nw_ptr(w, 1);
        nw_struct_end(w);
        nw_cnt(w, (uint64_t)r->nscopes);
        for (i = 0; i < r->nscopes; i++)
            nw_ip_f(w, "dhcpsrv2.ip_array.element", r->scopes[i]);
    }
    if (r->secret)
        nw_wstr_f(w, FREL "shared_secret", r->secret);
}

static void rel_encode(nw_t *w, const rel_t *r)
{
    rel_flat(w, r);
    rel_deferred(w, r);
}

/* The dissector's rules for one relationship (requests and responses alike, except the
 * state, which only a server's report is checked for). */
static void rel_rules(exp_t *e, const rel_t *r, int reported)
{
    if (r->mode > 1)
        exp_add(e, "dhcpsrv2.expert.invalid_enum");
    if (r->server_type > 1)
        exp_add(e, "dhcpsrv2.expert.invalid_enum");
    if (r->state > FSM_RECOVER_DONE)
        exp_add(e, "dhcpsrv2.expert.invalid_enum");
    if (r->prev_state > FSM_RECOVER_DONE)
        exp_add(e, "dhcpsrv2.expert.invalid_enum");
    if (r->percentage > 100)
        exp_add(e, "dhcpsrv2.expert.percentage_out_of_range");
    if (r->has_scopes && (uint32_t)r->nscopes != r->num_field)
        exp_add(e, "dhcpsrv2.expert.count_mismatch");
    if (reported && r->state != FSM_NORMAL)
        exp_add(e, "dhcpsrv2.expert.state_not_normal");
}

/* --- DHCP_SEARCH_INFO (2.2.1.2.18) and DHCPV4_FAILOVER_CLIENT_INFO (2.2.1.2.101) --- */

typedef struct {
    uint32_t type; /* 0 ClientIpAddress, 1 ClientHardwareAddress, 2 ClientName */
    uint32_t ip;
    uint8_t uid[32];
    uint32_t uid_len;
    const char *name;
} search_t;

static void search_encode(nw_t *w, const search_t *s)
{
    size_t i;
    nw_align_ptr(w);
    nw_enum(w, s->type);
    NWF(w, "dhcpsrv2.search_info.search_type", "%u", (unsigned)s->type);
    /* SearchInfo: a non-encapsulated union, so its discriminant is marshalled again in front of the
     * arm.  NDR: u16 discriminant at 2, arm at 4.  NDR64: the union is aligned to its largest member
     * (8: two arms hold pointers), before the discriminant and again before the arm (MS-RPCE
     * 2.2.5.3.4.2; what impacket and go-msrpc emit): discriminant at 8, arm at 16. */
    if (w->ndr64)
        nw_align(w, 8);
    nw_enum(w, s->type);
    if (w->ndr64)
        nw_align(w, 8);
    switch (s->type) {
    case 0:
        nw_ip_f(w, "dhcpsrv2.search_info.client_ip_address", s->ip);
        break;
    case 1: /* DHCP_CLIENT_UID */
        nw_align_ptr(w);
        nw_u32_f(w, "dhcpsrv2.binary_data.data_length", s->uid_len);
        nw_ptr(w, 1);
        nw_struct_end(w);
        break;
    case 2:
        nw_ptr(w, 1);
        break;
    default:
        die("bad search type");
    }
    nw_struct_end(w);
    if (s->type == 1) {
        nw_cnt(w, s->uid_len);
        for (i = 0; i < s->uid_len; i++)
            nw_u8(w, s->uid[i]);
        NWF(w, "dhcpsrv2.search_info.client_hardware_address", "%s", fmt_bytes(s->uid, s->uid_len));
    } else if (s->type == 2) {
        nw_wstr_f(w, "dhcpsrv2.search_info.client_name", s->name);
    }
}

/* DHCPv4 client unique ID (2.2.1.2.5.2): subnet id little-endian, hardware type 1, MAC */
static uint32_t make_uid(uint8_t *out, uint32_t subnet, const uint8_t mac[6])
{
    put_le32(out, subnet);
    out[4] = 0x01;
    memcpy(out + 5, mac, 6);
    return 11;
}

typedef struct {
    uint32_t ip, mask;
    uint8_t uid[32];
    uint32_t uid_len;
    const char *name, *comment;
    uint64_t lease_expires;  /* FILETIME */
    uint32_t owner_ip;
    const char *netbios, *hostname;
    uint8_t client_type, address_state;
    uint32_t qstatus;        /* QuarantineStatus */
    uint64_t probation_ends; /* FILETIME */
    uint32_t qcapable;
    uint32_t t[6];           /* SentPotExpTime .. LastBndUpdTime, seconds since 1970 */
    uint32_t bnd_msg_status;
    const char *policy;
    uint8_t flags;
} cinfo_t;

static void nw_date_time_f(nw_t *w, const char *field, uint64_t ft)
{
    nw_u32(w, (uint32_t)ft);         /* dwLowDateTime */
    nw_u32(w, (uint32_t)(ft >> 32)); /* dwHighDateTime */
    NWF(w, field, "%s", fmt_filetime(ft));
}

static void cinfo_encode(nw_t *w, const cinfo_t *ci)
{
    static const char *const tnames[6] = {FCI "sent_pot_exp_time", FCI "ack_pot_exp_time",
                                          FCI "recv_pot_exp_time", FCI "start_time",
                                          FCI "clt_last_trans_time", FCI "last_bnd_upd_time"};
    uint32_t i;
    nw_align_ptr(w);
    nw_ip_f(w, FCI "client_ip_address", ci->ip);
    nw_ip_f(w, FCI "subnet_mask", ci->mask);
    /* ClientHardwareAddress: DHCP_CLIENT_UID {DataLength; Data} */
    nw_align_ptr(w);
    nw_u32_f(w, "dhcpsrv2.binary_data.data_length", ci->uid_len);
    nw_ptr(w, ci->uid_len > 0); /* DataLength 0: Data NULL */
    nw_struct_end(w);
    nw_ptr(w, ci->name != NULL);
    nw_ptr(w, ci->comment != NULL);
    nw_date_time_f(w, FCI "client_lease_expires", ci->lease_expires);
    /* OwnerHost: DHCP_HOST_INFO {IpAddress; NetBiosName; HostName} */
    nw_align_ptr(w);
    nw_ip_f(w, FCI "owner_host.ip_address", ci->owner_ip);
    nw_ptr(w, ci->netbios != NULL);
    nw_ptr(w, ci->hostname != NULL);
    nw_struct_end(w);
    nw_u8(w, ci->client_type);
    NWF(w, FCI "client_type", "0x%02x", ci->client_type);
    nw_u8(w, ci->address_state);
    NWF(w, FCI "address_state", "0x%02x", ci->address_state);
    NWF(w, FCI "address_state.state", "%u", ci->address_state & 3u);
    NWF(w, FCI "address_state.name_protection", "%u", (ci->address_state >> 2) & 3u);
    NWF(w, FCI "address_state.dns", "0x%02x", ci->address_state >> 4);
    nw_enum(w, ci->qstatus);
    NWF(w, FCI "status", "%u", (unsigned)ci->qstatus);
    nw_date_time_f(w, FCI "probation_ends", ci->probation_ends);
    nw_u32_f(w, FCI "quarantine_capable", ci->qcapable);
    for (i = 0; i < 6; i++) {
        nw_u32(w, ci->t[i]);
        NWF(w, tnames[i], "%s", fmt_abs_time(ci->t[i], 0));
    }
    nw_u32(w, ci->bnd_msg_status);
    NWF(w, FCI "bnd_msg_status", "0x%08x", (unsigned)ci->bnd_msg_status);
    nw_ptr(w, ci->policy != NULL);
    nw_u8(w, ci->flags);
    NWF(w, FCI "flags", "0x%02x", ci->flags);
    nw_struct_end(w);
    /* deferred: ClientHardwareAddress.Data, ClientName, ClientComment, OwnerHost.NetBiosName,
     * OwnerHost.HostName, PolicyName */
    if (ci->uid_len > 0) {
        nw_cnt(w, ci->uid_len);
        for (i = 0; i < ci->uid_len; i++)
            nw_u8(w, ci->uid[i]);
        NWF(w, FCI "client_hardware_address", "%s", fmt_bytes(ci->uid, ci->uid_len));
    }
    if (ci->name)
        nw_wstr_f(w, FCI "client_name", ci->name);
    if (ci->comment)
        nw_wstr_f(w, FCI "client_comment", ci->comment);
    if (ci->netbios)
        nw_wstr_f(w, FCI "owner_host.net_bios_name", ci->netbios);
    if (ci->hostname)
        nw_wstr_f(w, FCI "owner_host.host_name", ci->hostname);
    if (ci->policy)
        nw_wstr_f(w, FCI "policy_name", ci->policy);
}

/* --- calls --- */

typedef struct {
    conn_t *c;
    uint32_t cid;
    uint16_t opnum;
    reqinfo_t ri;
} fcall_t;

/* a request stub starts with [in, unique, string] ServerIpAddress */
static void fo_request_begin(nw_t *w, const conn_t *c, uint16_t opnum, const char *srv)
{
    nw_init(w, c->ndr64, fset_for(opnum));
    nw_server_handle(w, srv);
}

static void fo_response_begin(nw_t *w, const fcall_t *fc)
{
    nw_init(w, fc->c->ndr64, fset_for(fc->opnum));
}

/* sends the request stub in one PDU and one segment; the expectation is valid until the next one */
static exp_t *fo_request(gen_t *g, conn_t *c, fcall_t *fc, uint16_t opnum, const char *srv, int scope_valid,
                         uint32_t scope, nw_t *w)
{
    buf_t pdu = {0};
    exp_t *e;
    memset(fc, 0, sizeof(*fc));
    fc->c = c;
    fc->cid = c->next_call_id++;
    fc->opnum = opnum;
    if (srv) {
        fc->ri.srv_state = K_VAL;
        snprintf(fc->ri.srv, sizeof(fc->ri.srv), "%s", srv);
    } else {
        fc->ri.srv_state = K_NULL;
    }
    if (scope_valid) {
        fc->ri.scope_state = K_VAL;
        fc->ri.scope = scope;
    }
    build_request_op(&pdu, c, PFC_FIRST | PFC_LAST, fc->cid, opnum, (uint32_t)w->b.len, w->b.p, w->b.len);
    queue_bytes(c, 0, pdu.p, pdu.len);
    e = exp_new(g, c, 0);
    e->opnum = opnum;
    e->ri = fc->ri;
    e->fs = w->fs;
    w->fs = NULL;
    flush_all(g, c, 0);
    tick_j(g, 450, 400);
    buf_free(&pdu);
    buf_free(&w->b);
    return e;
}

/* appends the status and sends the response; `cut` != 0 sends only the first `cut` stub bytes */
static exp_t *fo_response(gen_t *g, fcall_t *fc, nw_t *w, uint32_t status, size_t cut)
{
    buf_t pdu = {0};
    conn_t *c = fc->c;
    exp_t *e;
    size_t len;
    nw_u32(w, status);
    NWF(w, "dhcpsrv2.werror", "0x%08x", (unsigned)status);
    if (cut >= w->b.len)
        die("cut %u beyond the %u-byte stub", (unsigned)cut, (unsigned)w->b.len);
    len = cut ? cut : w->b.len;
    build_response(&pdu, c, PFC_FIRST | PFC_LAST, fc->cid, (uint32_t)len, w->b.p, len);
    queue_bytes(c, 1, pdu.p, pdu.len);
    e = exp_new(g, c, 1);
    e->opnum = fc->opnum;
    e->ri = fc->ri;
    e->srv_ip = c->srv->ip;
    if (cut) {
        fset_truncate(w->fs, cut);
        e->malformed = 1;
        exp_add(e, "dhcpsrv2.ndr.truncated");
    } else {
        e->werr_state = K_VAL;
        e->werr = status;
        if (status != 0)
            exp_add(e, "dhcpsrv2.expert.status_error");
    }
    e->fs = w->fs;
    w->fs = NULL;
    flush_all(g, c, 1);
    tick_j(g, 1800, 900);
    buf_free(&pdu);
    buf_free(&w->b);
    return e;
}

/* 89 CreateRelationship, 94 AddScopeToRelationship, 95 DeleteScopeFromRelationship:
 * SRV, pRelationship ([in] ref: the structure in place); status only */
static void fo_rel_in(gen_t *g, conn_t *c, uint16_t opnum, const char *srv, const rel_t *r, uint32_t status)
{
    nw_t w;
    fcall_t fc;
    fo_request_begin(&w, c, opnum, srv);
    rel_encode(&w, r);
    rel_rules(fo_request(g, c, &fc, opnum, srv, 0, 0, &w), r, 0);
    fo_response_begin(&w, &fc);
    fo_response(g, &fc, &w, status, 0);
}

static const struct {
    uint32_t bit;
    const char *name;
} SET_FLAGS[6] = {
    {0x01, "dhcpsrv2.set_relationship.flags.mclt"},       {0x02, "dhcpsrv2.set_relationship.flags.safeperiod"},
    {0x04, "dhcpsrv2.set_relationship.flags.changestate"}, {0x08, "dhcpsrv2.set_relationship.flags.percentage"},
    {0x10, "dhcpsrv2.set_relationship.flags.mode"},       {0x20, "dhcpsrv2.set_relationship.flags.prevstate"},
};

/* 90 SetRelationship: SRV, Flags, pRelationship in place */
static void fo_set_rel(gen_t *g, conn_t *c, const char *srv, uint32_t flags, const rel_t *r, uint32_t status)
{
    nw_t w;
    fcall_t fc;
    int i;
    fo_request_begin(&w, c, 90, srv);
    nw_u32(&w, flags);
    NWF(&w, "dhcpsrv2.set_relationship.flags", "0x%08x", (unsigned)flags);
    for (i = 0; i < 6; i++)
        NWF(&w, SET_FLAGS[i].name, "%d", (flags & SET_FLAGS[i].bit) ? 1 : 0);
    rel_encode(&w, r);
    rel_rules(fo_request(g, c, &fc, 90, srv, 0, 0, &w), r, 0);
    fo_response_begin(&w, &fc);
    fo_response(g, &fc, &w, status, 0);
}

/* the request of 91 DeleteRelationship, 92 GetRelationship, 100 TriggerAddrAllocation:
 * SRV, [in, unique, string] relationship name */
static void fo_name_request(gen_t *g, conn_t *c, fcall_t *fc, uint16_t opnum, const char *srv, const char *name)
{
    nw_t w;
    fo_request_begin(&w, c, opnum, srv);
    nw_ptr(&w, name != NULL);
    if (name)
        nw_wstr_f(&w, "dhcpsrv2.relationship_name", name);
    fo_request(g, c, fc, opnum, srv, 0, 0, &w);
}

/* 91 / 100: name in, status out */
static void fo_name_call(gen_t *g, conn_t *c, uint16_t opnum, const char *srv, const char *name, uint32_t status)
{
    nw_t w;
    fcall_t fc;
    fo_name_request(g, c, &fc, opnum, srv, name);
    fo_response_begin(&w, &fc);
    fo_response(g, &fc, &w, status, 0);
}

/* [out] LPDHCP_FAILOVER_RELATIONSHIP *pRelationship: (ref, no wire form) -> unique -> structure */
static void fo_rel_out(nw_t *w, const rel_t *r)
{
    nw_ptr(w, r != NULL);
    if (r)
        rel_encode(w, r);
}

/* 92 GetRelationship */
static void fo_get_rel(gen_t *g, conn_t *c, const char *srv, const char *name, const rel_t *r, uint32_t status)
{
    nw_t w;
    fcall_t fc;
    fo_name_request(g, c, &fc, 92, srv, name);
    fo_response_begin(&w, &fc);
    fo_rel_out(&w, r);
    {
        exp_t *e = fo_response(g, &fc, &w, status, 0);
        if (r)
            rel_rules(e, r, 1);
    }
}

/* 96 GetScopeRelationship: SRV, scopeId; pRelationship out */
static void fo_get_scope_rel(gen_t *g, conn_t *c, const char *srv, uint32_t scope, const rel_t *r, uint32_t status)
{
    nw_t w;
    fcall_t fc;
    fo_request_begin(&w, c, 96, srv);
    nw_u32(&w, scope); /* dhcpsrv2.scope_id, in the "scope_id" key */
    fo_request(g, c, &fc, 96, srv, 1, scope, &w);
    fo_response_begin(&w, &fc);
    fo_rel_out(&w, r);
    {
        exp_t *e = fo_response(g, &fc, &w, status, 0);
        if (r)
            rel_rules(e, r, 1);
    }
}

/* 93 EnumRelationship: SRV, ResumeHandle ([in,out] ref: a DWORD), preferredMaximum;
 * out: ResumeHandle, pRelationship (ref -> unique -> DHCP_FAILOVER_RELATIONSHIP_ARRAY),
 * relationshipRead, relationshipTotal (ref: DWORDs), status.  `rels` NULL: NULL array.
 * The array's deferred part: conformance, every flat element, then element 0's referents,
 * element 1's, ... */
static void fo_enum_ex(gen_t *g, conn_t *c, const char *srv, uint32_t resume_in, uint32_t prefmax, const rel_t *rels,
                       int n, uint32_t num_field, uint32_t resume_out, uint32_t nread, uint32_t total, uint32_t status,
                       size_t cut)
{
    nw_t w;
    fcall_t fc;
    exp_t *e;
    int i;
    fo_request_begin(&w, c, 93, srv);
    nw_u32_f(&w, "dhcpsrv2.resume_handle", resume_in);
    nw_u32_f(&w, "dhcpsrv2.preferred_maximum", prefmax);
    fo_request(g, c, &fc, 93, srv, 0, 0, &w);

    fo_response_begin(&w, &fc);
    nw_u32_f(&w, "dhcpsrv2.resume_handle", resume_out);
    nw_ptr(&w, rels != NULL);
    if (rels) {
        nw_align_ptr(&w);
        nw_u32_f(&w, "dhcpsrv2.failover_relationship_array.num_elements", num_field);
        nw_ptr(&w, 1);
        nw_struct_end(&w);
        nw_cnt(&w, (uint64_t)n);
        for (i = 0; i < n; i++)
            rel_flat(&w, &rels[i]);
        for (i = 0; i < n; i++)
            rel_deferred(&w, &rels[i]);
    }
    nw_u32_f(&w, "dhcpsrv2.relationship_read", nread);
    nw_u32_f(&w, "dhcpsrv2.relationship_total", total);
    e = fo_response(g, &fc, &w, status, cut);
    if (rels && num_field != (uint32_t)n) {
        if (cut)
            die("truncated EnumRelationship with a count mismatch");
        exp_add(e, "dhcpsrv2.expert.count_mismatch");
    }
    for (i = 0; rels && i < n; i++) {
        if (cut) { /* keep the truncated case free of value rules */
            exp_t tmp;
            memset(&tmp, 0, sizeof(tmp));
            rel_rules(&tmp, &rels[i], 1);
            if (tmp.nexp)
                die("truncated EnumRelationship with rule-triggering values");
        } else {
            rel_rules(e, &rels[i], 1);
        }
    }
}

static void fo_enum(gen_t *g, conn_t *c, const char *srv, uint32_t resume_in, uint32_t prefmax, const rel_t *rels,
                    int n, uint32_t resume_out, uint32_t nread, uint32_t total, uint32_t status, size_t cut)
{
    fo_enum_ex(g, c, srv, resume_in, prefmax, rels, n, (uint32_t)n, resume_out, nread, total, status, cut);
}

/* 98 GetClientInfo: SRV, SearchInfo ([in, ref]: in place); ClientInfo (ref -> unique -> structure) */
static void fo_client_info(gen_t *g, conn_t *c, const char *srv, const search_t *s, const cinfo_t *ci,
                           uint32_t status)
{
    nw_t w;
    fcall_t fc;
    fo_request_begin(&w, c, 98, srv);
    search_encode(&w, s);
    fo_request(g, c, &fc, 98, srv, 0, 0, &w);
    fo_response_begin(&w, &fc);
    nw_ptr(&w, ci != NULL);
    if (ci)
        cinfo_encode(&w, ci);
    fo_response(g, &fc, &w, status, 0);
}

/* 99 GetSystemTime: SRV; pTime (ref: a DWORD), then [API only] pMaxAllowedDeltaTime, status.
 * The server's clock reads capture time + `skew` seconds. */
static void fo_system_time(gen_t *g, conn_t *c, const char *srv, int32_t skew, int api_extra, uint32_t max_delta,
                           uint32_t status)
{
    nw_t w;
    fcall_t fc;
    exp_t *e;
    uint32_t t;
    fo_request_begin(&w, c, 99, srv);
    fo_request(g, c, &fc, 99, srv, 0, 0, &w);
    fo_response_begin(&w, &fc);
    t = (uint32_t)((int64_t)(g->pw.ts_us / 1000000ULL) + skew); /* the response goes out now */
    nw_u32(&w, t);
    NWF(&w, "dhcpsrv2.system_time", "%s", fmt_abs_time(t, 0));
    if (api_extra)
        nw_u32_f(&w, "dhcpsrv2.max_allowed_delta_time", max_delta);
    e = fo_response(g, &fc, &w, status, 0);
    e->clock = 1;
    e->sys_time = t;
    if (api_extra)
        exp_add(e, "dhcpsrv2.expert.api_extension");
}

/* 125 GetAddressStatus: SRV, SubnetAddress [, pStatus per the API's [in, out]]; pStatus, status */
static void fo_address_status(gen_t *g, conn_t *c, const char *srv, uint32_t addr, int api_extra, uint32_t in_status,
                              uint32_t out_status, uint32_t status)
{
    nw_t w;
    fcall_t fc;
    exp_t *e;
    fo_request_begin(&w, c, 125, srv);
    nw_ip_f(&w, "dhcpsrv2.subnet_address", addr);
    if (api_extra)
        nw_u32_f(&w, "dhcpsrv2.address_status", in_status);
    e = fo_request(g, c, &fc, 125, srv, 0, 0, &w);
    if (api_extra)
        exp_add(e, "dhcpsrv2.expert.api_extension");
    fo_response_begin(&w, &fc);
    fset_add(w.fs, "dhcpsrv2.subnet_address", 0, "%s", fmt_ip(addr)); /* generated: the request's */
    nw_u32_f(&w, "dhcpsrv2.address_status", out_status);
    fo_response(g, &fc, &w, status, 0);
}

/*
 * The clock rules, in frame order, on every GetSystemTime response:
 *   offset = pTime - (capture time in whole seconds) -> field dhcpsrv2.clock_offset;
 *   |offset| > 60 -> clock_skew_capture;
 *   another server answered GetSystemTime earlier and |offset - its latest offset| > 60 (the other
 *   server whose latest offset differs most) -> clock_skew_partner.
 */
#define CLOCK_TOLERANCE 60

static void apply_clock_rules(gen_t *g)
{
    struct {
        uint32_t ip;
        int64_t off;
    } seen[32];
    int nseen = 0, j;
    size_t i;
    for (i = 0; i < g->nexps; i++) {
        exp_t *e = &g->exps[i];
        int64_t off, best = 0;
        int have = 0, mine = -1;
        if (!e->clock)
            continue;
        off = (int64_t)e->sys_time - (int64_t)(e->ts_us / 1000000ULL);
        fset_add(e->fs, "dhcpsrv2.clock_offset", 0, "%lld", (long long)off);
        if (off > CLOCK_TOLERANCE || off < -CLOCK_TOLERANCE)
            exp_add(e, "dhcpsrv2.expert.clock_skew_capture");
        for (j = 0; j < nseen; j++) {
            int64_t d = off - seen[j].off;
            if (d < 0)
                d = -d;
            if (seen[j].ip == e->srv_ip) {
                mine = j;
                continue;
            }
            if (!have || d > best)
                best = d;
            have = 1;
        }
        if (have && best > CLOCK_TOLERANCE)
            exp_add(e, "dhcpsrv2.expert.clock_skew_partner");
        if (mine < 0) {
            if (nseen == 32)
                die("too many clocks");
            mine = nseen++;
            seen[mine].ip = e->srv_ip;
        }
        seen[mine].off = off;
    }
}

/* --- failover-family scenarios --- */

#define SCOPE_30 ip4(192, 168, 30, 0)
#define SCOPE_5 ip4(172, 16, 5, 0)
#define SCOPE_6 ip4(172, 16, 6, 0)

static rel_t mkrel(const char *name, uint32_t primary, uint32_t secondary, uint32_t mode, uint32_t server_type,
                   uint32_t state, uint32_t prev_state, uint32_t mclt, uint32_t safe_period, const char *pname,
                   const char *sname, int nscopes, const uint32_t *scopes, uint8_t percentage, const char *secret)
{
    rel_t r;
    int i;
    memset(&r, 0, sizeof(r));
    r.name = name;
    r.primary = primary;
    r.secondary = secondary;
    r.mode = mode;
    r.server_type = server_type;
    r.state = state;
    r.prev_state = prev_state;
    r.mclt = mclt;
    r.safe_period = safe_period;
    r.pname = pname;
    r.sname = sname;
    if (nscopes > 4)
        die("too many scopes");
    r.has_scopes = nscopes >= 0;
    r.nscopes = nscopes > 0 ? nscopes : 0;
    r.num_field = (uint32_t)r.nscopes;
    for (i = 0; i < r.nscopes; i++)
        r.scopes[i] = scopes[i];
    r.percentage = percentage;
    r.secret = secret;
    return r;
}

/* a relationship naming only its name and scopes (AddScope / DeleteScope requests) */
static rel_t mkrel_scopes(const char *name, int nscopes, const uint32_t *scopes)
{
    return mkrel(name, 0, 0, 0, 0, FSM_NO_STATE, FSM_NO_STATE, 0, 0, NULL, NULL, nscopes, scopes, 0, NULL);
}

#define DHCP1 "dhcp1.corp.example.com"
#define DHCP2 "dhcp2.corp.example.com"
#define SRV1_IP ip4(10, 0, 0, 1)
#define SRV2_IP ip4(10, 0, 0, 2)

static const uint32_t SCOPES3[3] = {0xC0A80A00, 0xC0A81400, 0x0A141E00}; /* 192.168.10.0 192.168.20.0 10.20.30.0 */

/* the three relationships 10.0.0.1 reports (EnumRelationship) */
static void methods_relationships(rel_t r[3])
{
    static const uint32_t hs[2] = {0xAC100500, 0xAC100600};
    r[0] = mkrel("dhcp1-dhcp2", SRV1_IP, SRV2_IP, 0, 0, FSM_NORMAL, FSM_COMMUNICATION_INT, 3600, 0xFFFFFFFF, DHCP1,
                 DHCP2, 3, SCOPES3, 50, "Fo-Secret-2026!");
    r[1] = mkrel("dhcp1-dhcp3-hotstandby", SRV1_IP, ip4(10, 0, 0, 3), 1, 0, FSM_NORMAL, FSM_RECOVER_DONE, 1800, 7200,
                 DHCP1, "dhcp3.corp.example.com", 2, hs, 95, NULL);
    r[2] = mkrel("branch-07", ip4(10, 0, 7, 1), SRV1_IP, 0, 1, FSM_PARTNER_DOWN, FSM_COMMUNICATION_INT, 3600, 3600,
                 "dhcp7.branch07.example.com", NULL, -1, NULL, 30, "br@nch-07");
}

static void methods_clients(cinfo_t ci[4])
{
    static const uint8_t mac1[6] = {0x00, 0x1c, 0x25, 0x80, 0xa0, 0x43};
    static const uint8_t mac2[6] = {0x00, 0x15, 0x5d, 0x01, 0x02, 0x03};
    static const uint8_t mac3[6] = {0x02, 0x42, 0xac, 0x11, 0x00, 0x11};
    const uint32_t b = (uint32_t)BASE_TIME_S;
    memset(ci, 0, 4 * sizeof(*ci));

    ci[0].ip = ip4(192, 168, 10, 57);
    ci[0].mask = ip4(255, 255, 255, 0);
    ci[0].uid_len = make_uid(ci[0].uid, SCOPE_10, mac1);
    ci[0].name = "laptop-0042.corp.example.com";
    ci[0].comment = "Finance, 3rd floor";
    ci[0].lease_expires = filetime_of(BASE_TIME_S + 8 * 86400 + 4 * 3600, 5000000); /* .5 s */
    ci[0].owner_ip = SRV1_IP;
    ci[0].netbios = "DHCP1";
    ci[0].hostname = DHCP1;
    ci[0].client_type = 0x01;    /* DHCP */
    ci[0].address_state = 0x15;  /* active, DHCID without client-id option, DNS cleanup */
    ci[0].qstatus = 0;           /* NOQUARANTINE */
    ci[0].probation_ends = filetime_of(BASE_TIME_S + 2 * 3600, 1234567);
    ci[0].qcapable = 0;
    ci[0].t[0] = b + 4 * 3600;   /* SentPotExpTime */
    ci[0].t[1] = b + 4 * 3600;   /* AckPotExpTime */
    ci[0].t[2] = b + 4 * 3600 + 60;
    ci[0].t[3] = b - 20 * 3600;  /* StartTime */
    ci[0].t[4] = b - 600;        /* CltLastTransTime */
    ci[0].t[5] = b - 590;        /* LastBndUpdTime */
    ci[0].bnd_msg_status = 0;
    ci[0].policy = "Finance-Policy";
    ci[0].flags = 0x00;

    ci[1].ip = ip4(192, 168, 10, 88);
    ci[1].mask = ip4(255, 255, 255, 0);
    ci[1].uid_len = make_uid(ci[1].uid, SCOPE_10, mac2);
    ci[1].name = "printer-3f.corp.example.com";
    ci[1].comment = "LaserJet, 3rd floor";
    ci[1].lease_expires = filetime_of(BASE_TIME_S + 86400 * 3 + 17, 9999999);
    ci[1].owner_ip = SRV2_IP;
    ci[1].netbios = "DHCP2";
    ci[1].hostname = DHCP2;
    ci[1].client_type = 0x03;    /* DHCP and BOOTP */
    ci[1].address_state = 0x29;  /* active, DHCID with client-id option, A+PTR */
    ci[1].qstatus = 3;           /* PROBATION */
    ci[1].probation_ends = filetime_of(BASE_TIME_S + 86400, 0);
    ci[1].qcapable = 1;
    ci[1].t[0] = b + 86400 * 3 + 17;
    ci[1].t[1] = b + 86400 * 3;
    ci[1].t[2] = b + 86400 * 3 + 30;
    ci[1].t[3] = b - 86400;
    ci[1].t[4] = b - 3600;
    ci[1].t[5] = b - 3500;
    ci[1].bnd_msg_status = 0x00000002;
    ci[1].policy = "Printers";
    ci[1].flags = 0x01;

    ci[2].ip = ip4(192, 168, 20, 17);
    ci[2].mask = ip4(255, 255, 254, 0);
    ci[2].uid_len = make_uid(ci[2].uid, SCOPE_20, mac3);
    ci[2].name = "kiosk-17.corp.example.com";
    ci[2].comment = "Lobby kiosk";
    ci[2].lease_expires = filetime_of(BASE_TIME_S + 3 * 3600 + 1, 100);
    ci[2].owner_ip = SRV1_IP;
    ci[2].netbios = "DHCP1";
    ci[2].hostname = DHCP1;
    ci[2].client_type = 0x04;    /* reservation */
    ci[2].address_state = 0x82;  /* declined; expired, DNS not yet removed */
    ci[2].qstatus = 6;           /* NOQUARINFO */
    ci[2].probation_ends = filetime_of(BASE_TIME_S - 86400 * 30, 5);
    ci[2].qcapable = 0;
    ci[2].t[0] = b + 3 * 3600;
    ci[2].t[1] = b + 3 * 3600 - 5;
    ci[2].t[2] = b + 2 * 3600;
    ci[2].t[3] = b - 7 * 86400;
    ci[2].t[4] = b - 86400;
    ci[2].t[5] = b - 86000;
    ci[2].bnd_msg_status = 0x00000001;
    ci[2].policy = "Kiosks";
    ci[2].flags = 0x00;

    /* a sparse record: no client id, every string NULL.  Nothing deferred follows the flat part, so
     * in NDR64 the status comes right after the structure's trailing gap (129 -> 136) */
    ci[3].ip = ip4(192, 168, 10, 99);
    ci[3].mask = ip4(255, 255, 255, 0);
    ci[3].uid_len = 0;
    ci[3].lease_expires = filetime_of(BASE_TIME_S + 6 * 3600, 0);
    ci[3].owner_ip = SRV1_IP;
    ci[3].client_type = 0x02;    /* BOOTP */
    ci[3].address_state = 0x01;  /* active */
    ci[3].qstatus = 4;           /* EXEMPT */
    ci[3].probation_ends = filetime_of(BASE_TIME_S + 6 * 3600, 1);
    ci[3].qcapable = 0;
    ci[3].t[0] = b + 6 * 3600;
    ci[3].t[1] = b + 6 * 3600;
    ci[3].t[2] = b + 6 * 3600;
    ci[3].t[3] = b - 3600;
    ci[3].t[4] = b - 3600;
    ci[3].t[5] = b - 3600;
    ci[3].bnd_msg_status = 0;
    ci[3].policy = NULL;
    ci[3].flags = 0xff;
}

/* every failover method, request and response, on one connection to 10.0.0.1 */
static void methods_capture(const char *out, const char *name, int ndr64)
{
    gen_t g = {0};
    conn_t c;
    rel_t rels[3], r;
    cinfo_t ci[4];
    search_t s;
    static const uint32_t add[1] = {0xAC100500};
    static const uint32_t del[2] = {0xAC100500, 0x0A141E00};
    static const uint32_t created[3] = {0xC0A80A00, 0xC0A81400, 0x0A141E00};
    char desc[1024];
    const char *S = "10.0.0.1";

    snprintf(desc, sizeof(desc),
             "%s, one connection to 10.0.0.1: every failover method with success and error answers: 89 Create "
             "(twice, 0x4E92), 90 Set (flags 0x1D, then 0x22 -> 0x4E93), 92 Get (then NULL + 0x4E93), 93 Enum "
             "(3 relationships, then NULL + ERROR_NO_MORE_ITEMS), 94 AddScope, 95 DeleteScope (0x4E94), 96 "
             "GetScopeRelationship (then NULL + 0x4E94), 98 GetClientInfo by IP / hardware address / name, a sparse "
             "record with every pointer NULL, then NULL + 0x4E2D, 99 GetSystemTime, 100 TriggerAddrAllocation (then 0x4E95), 91 Delete (then 0x4E93), "
             "125 GetAddressStatus x3 (then 0x4E94)",
             ndr64 ? "NDR64" : "NDR");
    gen_begin(&g, out, name, desc);
    methods_relationships(rels);
    methods_clients(ci);
    conn_init(&g, &c, &H_CLIENT, &H_SRV1, ndr64, 0);
    conn_open(&g, &c);

    /* 89: the client's relationship; the server sets state/prevState itself */
    r = mkrel("dhcp1-dhcp2", SRV1_IP, SRV2_IP, 0, 0, FSM_INIT, FSM_NO_STATE, 3600, 7200, DHCP1, DHCP2, 3, created,
              50, "Fo-Secret-2026!");
    fo_rel_in(&g, &c, 89, S, &r, 0);
    fo_rel_in(&g, &c, 89, S, &r, 0x4E92); /* ERROR_DHCP_FO_RELATIONSHIP_EXISTS */

    /* 90: MCLT | CHANGESTATE | PERCENTAGE | MODE; the unused members are zero / NULL */
    r = mkrel("dhcp1-dhcp2", 0, 0, 1, 0, FSM_PARTNER_DOWN, FSM_NO_STATE, 1800, 0, NULL, NULL, -1, NULL, 70, NULL);
    fo_set_rel(&g, &c, S, 0x1D, &r, 0);
    r = mkrel("no-such-relationship", 0, 0, 0, 0, FSM_NO_STATE, FSM_NORMAL, 0, 600, NULL, NULL, -1, NULL, 0, NULL);
    fo_set_rel(&g, &c, S, 0x22, &r, 0x4E93); /* SAFEPERIOD | PREVSTATE; ...RELATIONSHIP_DOES_NOT_EXIST */

    /* 92 */
    fo_get_rel(&g, &c, S, "dhcp1-dhcp2", &rels[0], 0);
    fo_get_rel(&g, &c, S, "no-such-relationship", NULL, 0x4E93);

    /* 93: all three in one answer, then the end of the list */
    fo_enum(&g, &c, S, 0, 0xFFFFFFFF, rels, 3, 3, 3, 0, 0, 0);
    fo_enum(&g, &c, S, 3, 0xFFFFFFFF, NULL, 0, 3, 0, 0, 259, 0); /* ERROR_NO_MORE_ITEMS */

    /* 94 / 95 */
    r = mkrel_scopes("dhcp1-dhcp2", 1, add);
    fo_rel_in(&g, &c, 94, S, &r, 0);
    r = mkrel_scopes("dhcp1-dhcp2", 2, del);
    fo_rel_in(&g, &c, 95, S, &r, 0x4E94); /* ERROR_DHCP_FO_SCOPE_NOT_IN_RELATIONSHIP */

    /* 96 */
    fo_get_scope_rel(&g, &c, S, SCOPE_20, &rels[0], 0);
    fo_get_scope_rel(&g, &c, S, ip4(10, 99, 0, 0), NULL, 0x4E94);

    /* 98: by IP, by hardware address (DHCP_CLIENT_UID), by name; then a client that does not exist */
    memset(&s, 0, sizeof(s));
    s.type = 0;
    s.ip = ci[0].ip;
    fo_client_info(&g, &c, S, &s, &ci[0], 0);
    memset(&s, 0, sizeof(s));
    s.type = 1;
    memcpy(s.uid, ci[1].uid, ci[1].uid_len);
    s.uid_len = ci[1].uid_len;
    fo_client_info(&g, &c, S, &s, &ci[1], 0);
    memset(&s, 0, sizeof(s));
    s.type = 2;
    s.name = ci[2].name;
    fo_client_info(&g, &c, S, &s, &ci[2], 0);
    memset(&s, 0, sizeof(s));
    s.type = 0;
    s.ip = ci[3].ip;
    fo_client_info(&g, &c, S, &s, &ci[3], 0);
    memset(&s, 0, sizeof(s));
    s.type = 2;
    s.name = "ghost.corp.example.com";
    fo_client_info(&g, &c, S, &s, NULL, 0x4E2D); /* ERROR_DHCP_JET_ERROR */

    /* 99: the server's clock is exact */
    fo_system_time(&g, &c, S, 0, 0, 0, 0);

    /* 100 */
    fo_name_call(&g, &c, 100, S, "dhcp1-dhcp2", 0);
    fo_name_call(&g, &c, 100, S, "branch-07", 0x4E95); /* ERROR_DHCP_FO_RELATION_IS_SECONDARY */

    /* 91 */
    fo_name_call(&g, &c, 91, S, "dhcp1-dhcp3-hotstandby", 0);
    fo_name_call(&g, &c, 91, S, "no-such-relationship", 0x4E93);

    /* 125: primary-owned, secondary-owned, excluded; then an address outside every relationship */
    fo_address_status(&g, &c, S, ip4(192, 168, 10, 57), 0, 0, 0, 0);
    fo_address_status(&g, &c, S, ip4(192, 168, 20, 200), 0, 0, 1, 0);
    fo_address_status(&g, &c, S, ip4(192, 168, 10, 1), 0, 0, 2, 0);
    fo_address_status(&g, &c, S, ip4(10, 99, 0, 5), 0, 0, 0, 0x4E94);

    conn_close(&g, &c);
    gen_end(&g);
}

static void sc_failover_methods_ndr(const char *out)
{
    methods_capture(out, "failover-methods-ndr", 0);
}

static void sc_failover_methods_ndr64(const char *out)
{
    methods_capture(out, "failover-methods-ndr64", 1);
}

/*
 * The acceptance scenario: 10.0.0.1 (NDR) and 10.0.0.2 (NDR64) polled once a minute for 5 rounds.
 * From round 2 on, 10.0.0.2 reports the relationship in COMMUNICATION_INT (previous state NORMAL);
 * 10.0.0.1 keeps reporting NORMAL.  10.0.0.2's clock runs 120 s ahead of the capture clock.
 */
static void sc_failover_relationship_status(const char *out)
{
    gen_t g = {0};
    conn_t c;
    fo_scope_t sc[2] = {
        {0xC0A80A00, 200, {100, 100}, {48, 52}},
        {0xC0A81400, 250, {125, 125}, {60, 63}},
    };
    static const uint32_t scopes[2] = {0xC0A80A00, 0xC0A81400};
    int round, s, k;

    gen_begin(&g, out, "failover-relationship-status",
              "servers 10.0.0.1 (NDR) and 10.0.0.2 (NDR64) in relationship dhcp1-dhcp2 (LoadBalance 50 %, MCLT "
              "3600, safe period infinite, scopes 192.168.10.0 and 192.168.20.0), polled every minute for 5 rounds "
              "with GetRelationship, EnumRelationship, GetScopeRelationship x2, GetSystemTime and "
              "GetScopeStatistics x2; from round 2 on 10.0.0.2 reports COMMUNICATION_INT (prev NORMAL), 10.0.0.1 "
              "stays NORMAL; 10.0.0.2's clock is 120 s ahead of the capture clock, 10.0.0.1's is exact");
    for (round = 0; round < 5; round++) {
        for (s = 0; s < 2; s++) {
            const char *srv = s ? "10.0.0.2" : "10.0.0.1";
            rel_t r;
            uint32_t state = FSM_NORMAL, prev = FSM_RECOVER_DONE;
            if (s == 1 && round >= 1) {
                state = FSM_COMMUNICATION_INT;
                prev = FSM_NORMAL;
            }
            r = mkrel("dhcp1-dhcp2", SRV1_IP, SRV2_IP, 0, (uint32_t)s, state, prev, 3600, 0xFFFFFFFF, DHCP1, DHCP2, 2,
                      scopes, 50, NULL);
            set_time(&g, (uint64_t)round * 60000000ULL + (uint64_t)s * 400000ULL + 5000);
            conn_init(&g, &c, &H_CLIENT, s ? &H_SRV2 : &H_SRV1, s, 0);
            conn_open(&g, &c);
            fo_get_rel(&g, &c, srv, "dhcp1-dhcp2", &r, 0);
            fo_enum(&g, &c, srv, 0, 0xFFFFFFFF, &r, 1, 1, 1, 0, 0, 0);
            for (k = 0; k < 2; k++)
                fo_get_scope_rel(&g, &c, srv, scopes[k], &r, 0);
            fo_system_time(&g, &c, srv, s ? 120 : 0, 0, 0, 0);
            for (k = 0; k < 2; k++) {
                req_t rq = mkreq(srv, sc[k].scope);
                resp_t rs;
                fo_stats(&sc[k], s, &rs);
                do_call(&g, &c, &rq, &rs);
            }
            conn_close(&g, &c);
        }
        /* the next minute: a few leases come and go */
        sc[0].inuse[0] += 1;
        sc[0].inuse[1] += 2;
        sc[1].inuse[0] -= 1;
        sc[1].inuse[1] += 1;
    }
    gen_end(&g);
}

/* stub offset of the cut in failover-odd's truncated EnumRelationship: inside the actual_count of
 * the second relationship's primaryServerName (its max_count and offset are complete) */
static size_t enum_cut_offset(int ndr64, const rel_t *rels, int n)
{
    nw_t w;
    int i;
    size_t at;
    nw_init(&w, ndr64, NULL);
    nw_u32(&w, 0);
    nw_ptr(&w, 1);
    nw_align_ptr(&w);
    nw_u32(&w, (uint32_t)n);
    nw_ptr(&w, 1);
    nw_struct_end(&w);
    nw_cnt(&w, (uint64_t)n);
    for (i = 0; i < n; i++)
        rel_flat(&w, &rels[i]);
    rel_deferred(&w, &rels[0]);
    if (!rels[1].name || !rels[1].pname)
        die("enum_cut_offset: needs both names");
    nw_wstr(&w, rels[1].name);
    nw_cnt(&w, 0); /* max_count */
    nw_cnt(&w, 0); /* offset */
    at = w.b.len + 2;
    buf_free(&w.b);
    return at;
}

/* spec/API disagreements and bad values, each followed by a normal call (NDR, one connection) */
static void sc_failover_odd(const char *out)
{
    gen_t g = {0};
    conn_t c;
    rel_t r, rels[3];
    static const uint32_t one[1] = {0xC0A81E00};
    static const uint32_t two[2] = {0xC0A81E00, 0xC0A81F00};
    const char *S = "10.0.0.1";

    gen_begin(&g, out, "failover-odd",
              "NDR, one connection to 10.0.0.1, each odd call followed by a normal one: GetSystemTime answer with "
              "the API's extra pMaxAllowedDeltaTime DWORD (12-byte stub); GetAddressStatus request with the API's "
              "[in] pStatus; CreateRelationship request and GetRelationship answer with percentage 150, mode 7, "
              "state 42; DHCP_IP_ARRAY NumElements 3 with 2 elements (AddScope request, GetScopeRelationship "
              "answer); DHCP_FAILOVER_RELATIONSHIP_ARRAY numElements 2 with 1 element; EnumRelationship answer cut inside the second relationship's strings");
    conn_init(&g, &c, &H_CLIENT, &H_SRV1, 0, 0);
    conn_open(&g, &c);

    /* (a) pMaxAllowedDeltaTime */
    fo_system_time(&g, &c, S, 0, 1, 60, 0);
    fo_system_time(&g, &c, S, 0, 0, 0, 0);

    /* (b) pStatus as [in, out] */
    fo_address_status(&g, &c, S, ip4(192, 168, 10, 57), 1, 0, 0, 0);
    fo_address_status(&g, &c, S, ip4(192, 168, 10, 57), 0, 0, 0, 0);

    /* (c) out-of-range values, in a request (rejected) and in an answer */
    r = mkrel("bad-values", SRV1_IP, SRV2_IP, 7, 0, 42, FSM_NORMAL, 3600, 3600, DHCP1, DHCP2, 1, one, 150,
              "bad-secret");
    fo_rel_in(&g, &c, 89, S, &r, 0x57); /* ERROR_INVALID_PARAMETER */
    fo_get_rel(&g, &c, S, "bad-values", &r, 0);
    r = mkrel("good-values", SRV1_IP, SRV2_IP, 1, 0, FSM_INIT, FSM_NO_STATE, 3600, 3600, DHCP1, DHCP2, 1, one, 100,
              "good-secret");
    fo_rel_in(&g, &c, 89, S, &r, 0);
    r.state = FSM_NORMAL;
    r.prev_state = FSM_STARTUP;
    fo_get_rel(&g, &c, S, "good-values", &r, 0);

    /* (d) NumElements 3, conformance 2 */
    r = mkrel_scopes("good-values", 2, two);
    r.num_field = 3;
    fo_rel_in(&g, &c, 94, S, &r, 0);
    r.num_field = 2;
    fo_rel_in(&g, &c, 94, S, &r, 0);
    r = mkrel("good-values", SRV1_IP, SRV2_IP, 1, 0, FSM_NORMAL, FSM_STARTUP, 3600, 3600, DHCP1, DHCP2, 2, two, 100,
              "good-secret");
    r.num_field = 3;
    fo_get_scope_rel(&g, &c, S, SCOPE_30, &r, 0);
    r.num_field = 2;
    fo_get_scope_rel(&g, &c, S, SCOPE_30, &r, 0);
    /* the same for DHCP_FAILOVER_RELATIONSHIP_ARRAY: numElements 2, conformance 1 */
    r.num_field = 2;
    fo_enum_ex(&g, &c, S, 0, 0xFFFFFFFF, &r, 1, 2, 1, 1, 0, 0, 0);
    fo_enum(&g, &c, S, 0, 0xFFFFFFFF, &r, 1, 1, 1, 0, 0, 0);

    /* (e) EnumRelationship answer cut inside the second relationship's strings */
    methods_relationships(rels);
    rels[2].state = FSM_NORMAL; /* no state rule in the cut answer */
    fo_enum(&g, &c, S, 0, 0xFFFFFFFF, rels, 3, 3, 3, 0, 0, enum_cut_offset(0, rels, 3));
    fo_enum(&g, &c, S, 0, 0xFFFFFFFF, rels, 3, 3, 3, 0, 0, 0);

    conn_close(&g, &c);
    gen_end(&g);
}

/* ------------------------------------------------------------------------- */
/* benchmark capture                                                          */
/* ------------------------------------------------------------------------- */

#define BENCH_SCOPES 300

static void bench(uint64_t ncalls, const char *path, uint64_t seed)
{
    gen_t g;
    fo_scope_t *sc;
    static const uint32_t sizes[5] = {100, 200, 250, 500, 1000};
    static const uint32_t errs[5] = {2, 5, 0x57, 0x4E94, 0x4E25};
    uint64_t done = 0, assocs = 0, errors = 0, ndr64s = 0;
    uint32_t client_no = 0;
    unsigned i;
    host_t cli;

    memset(&g, 0, sizeof(g));
    g.record = 0;
    snprintf(g.name, sizeof(g.name), "bench");
    g.rng.s = seed ^ 0x6d732d646863706dULL;
    g.next_port = CLIENT_PORT0;
    hosts_reset();
    cli = H_CLIENT;
    pcapw_open(&g.pw, path);
    setvbuf(g.pw.f, NULL, _IOFBF, 1 << 20);

    sc = xrealloc(NULL, BENCH_SCOPES * sizeof(*sc));
    for (i = 0; i < BENCH_SCOPES; i++) {
        uint32_t num = sizes[rng_below(&g.rng, 5)];
        sc[i].scope = (i < 200) ? ip4(10, 40 + i / 100, i % 100, 0) : ip4(192, 168, 100 + (i - 200), 0);
        sc[i].num = num;
        sc[i].pool[0] = num / 2;
        sc[i].pool[1] = num - num / 2;
        sc[i].inuse[0] = sc[i].pool[0] * (30 + rng_below(&g.rng, 40)) / 100;
        sc[i].inuse[1] = sc[i].pool[1] * (30 + rng_below(&g.rng, 40)) / 100;
    }

    while (done < ncalls) {
        conn_t c;
        int s = (int)rng_below(&g.rng, 2);
        int ndr64 = (int)rng_below(&g.rng, 2);
        uint32_t k, n = 1 + rng_below(&g.rng, 40);
        uint64_t conn_no = assocs++;
        if (n > ncalls - done)
            n = (uint32_t)(ncalls - done);
        /* when the client ports wrap (50000..64999), move on to the next client address */
        if (g.next_port == CLIENT_PORT0 && conn_no) {
            uint32_t h = ++client_no;
            cli.ip = ip4(10, 0, 1 + (h / 200) % 250, 10 + h % 200);
            cli.mac[4] = (uint8_t)(h >> 8);
            cli.mac[5] = (uint8_t)h;
            cli.mac[3] = 0x10;
        }
        conn_init(&g, &c, &cli, s ? &H_SRV2 : &H_SRV1, ndr64, 0);
        ndr64s += (uint64_t)ndr64;
        conn_open(&g, &c);
        for (k = 0; k < n; k++) {
            fo_scope_t *p = &sc[rng_below(&g.rng, BENCH_SCOPES)];
            req_t rq;
            resp_t rs;
            uint32_t r = rng_below(&g.rng, 1000);
            int o;
            memset(&rq, 0, sizeof(rq));
            rq.srv = (r < 100) ? (s ? "dhcp2.corp.example.com" : "dhcp1.corp.example.com") : (s ? "10.0.0.2" : "10.0.0.1");
            rq.scope = p->scope;
            /* lease churn on one side */
            o = (int)rng_below(&g.rng, 2);
            if (rng_below(&g.rng, 2)) {
                if (p->inuse[o] < p->pool[o])
                    p->inuse[o]++;
            } else if (p->inuse[o] > 0) {
                p->inuse[o]--;
            }
            if (rng_below(&g.rng, 1000) < 20) {
                mkerr(&rs, errs[rng_below(&g.rng, 5)]);
                errors++;
            } else {
                fo_stats(p, s, &rs);
            }
            do_call(&g, &c, &rq, &rs);
        }
        conn_close(&g, &c);
        tick_j(&g, 2000, 3000);
        done += n;
    }
    pcapw_close(&g.pw);
    free(sc);
    fprintf(stderr,
            "bench: %llu calls, %llu associations (%llu NDR64), %llu error responses, %u frames -> %s\n",
            (unsigned long long)done, (unsigned long long)assocs, (unsigned long long)ndr64s,
            (unsigned long long)errors, (unsigned)g.pw.frames, path);
}

/* ------------------------------------------------------------------------- */

static void usage(void)
{
    fprintf(stderr,
            "usage: gen-captures OUTDIR\n"
            "       gen-captures --bench N OUT.pcapng [--seed S]\n");
    exit(2);
}

static uint64_t parse_u64(const char *s)
{
    char *end;
    unsigned long long v;
    errno = 0;
    v = strtoull(s, &end, 0);
    if (errno || end == s || *end)
        die("bad number '%s'", s);
    return (uint64_t)v;
}

int main(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "--bench") == 0) {
        uint64_t n, seed = 1;
        if (argc != 4 && argc != 6)
            usage();
        n = parse_u64(argv[2]);
        if (argc == 6) {
            if (strcmp(argv[4], "--seed") != 0)
                usage();
            seed = parse_u64(argv[5]);
        }
        bench(n, argv[3], seed);
        return 0;
    }
    if (argc != 2 || argv[1][0] == '-')
        usage();
    if (mkdir(argv[1], 0777) != 0 && errno != EEXIST)
        die("cannot create %s: %s", argv[1], strerror(errno));

    sc_ndr_basic(argv[1]);
    sc_ndr64_basic(argv[1]);
    sc_bigendian(argv[1]);
    sc_null_server(argv[1]);
    sc_long_hostname(argv[1]);
    sc_error_responses(argv[1]);
    sc_fragmented(argv[1]);
    sc_coalesced_split(argv[1]);
    sc_two_assoc(argv[1]);
    sc_failover_pair(argv[1]);
    sc_partner_mismatch(argv[1]);
    sc_fast_poll(argv[1]);
    sc_malformed(argv[1]);
    sc_inconsistent(argv[1]);
    sc_demo(argv[1]);
    sc_failover_methods_ndr(argv[1]);
    sc_failover_methods_ndr64(argv[1]);
    sc_failover_relationship_status(argv[1]);
    sc_failover_odd(argv[1]);
    return 0;
}
