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

#define MAX_EXPERT 10

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
} exp_t;

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
    char desc[512];
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

static void build_request(buf_t *b, conn_t *c, uint8_t flags, uint32_t call_id, uint32_t alloc_hint,
                          const uint8_t *stub, size_t n)
{
    int be = c->be;
    pdu_start(b, be, PDU_REQ, flags, call_id);
    buf_u32(b, be, alloc_hint);
    buf_u16(b, be, 0); /* p_cont_id */
    buf_u16(b, be, OPNUM);
    buf_put(b, stub, n);
    pdu_finish(b, be);
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
        if (!e->frame && e->c == c && e->dir == dir && e->end_off <= c->sent[dir])
            e->frame = frame;
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
                (unsigned)e->frame, e->is_resp ? "response" : "request", e->ndr64 ? "true" : "false", OPNUM);
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
    printf("%-22s %5u frames %4u opnum-97 PDUs\n", g->name, (unsigned)g->pw.frames, (unsigned)g->nexps);
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
    sc_malformed(argv[1]);
    sc_inconsistent(argv[1]);
    sc_demo(argv[1]);
    return 0;
}
