/*
 * baton-floor: a refresh's floor work in plain C, so `baton-bench limits` can measure what a
 * lean server does on this machine instead of estimating it.
 *
 * Per request: frame an HTTP/1.1 request (keep-alive), one HMAC-SHA256 over its body (what
 * checking a presented refresh token's MAC costs; the result is not compared), one FCALL of
 * Baton's own rotation script on Redis (the benchmark function library of `baton-bench limits`;
 * commands of one loop tick go out in one write), and when the reply says `rotated`: 16 random
 * bytes, an RFC 9068 access token signed with ES256 (raw r||s), a refresh token with an
 * HMAC-SHA256, one response write. Single-threaded, epoll, one Redis connection; several
 * processes share the port with SO_REUSEPORT.
 *
 * It is a measuring tool, not a service: it listens on 127.0.0.1 only, answers every request
 * with a rotation, exits with status 1 on any reply other than `rotated` (the benchmark counts
 * that as a failure), drops a client that does not read its responses, and ends after
 * --seconds (SIGALRM).
 *
 *   baton-floor --port P --redis-socket PATH --families N --seconds S \
 *       --family-prefix 'bt:{0a1b2c3d}:fam:bt-bench--' --revocations-key 'bt:{0a1b2c3d}:rv' --client bench-client
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <hiredis/hiredis.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

enum { MAX_FDS = 4096, REQUEST_LIMIT = 8192, MAX_IN_FLIGHT = 1 << 16, REDIS_OUTPUT = 1 << 20 };

/* A client connection's unframed bytes, and which connection on its descriptor it is. */
struct client {
    char bytes[REQUEST_LIMIT];
    size_t length;
    unsigned long serial;
};

static struct client *clients[MAX_FDS];
/* Clients waiting for a Redis reply, in the order their commands were sent. */
static struct { int fd; unsigned long serial; } waiting[MAX_IN_FLIGHT];
static unsigned long nextSerial;
static unsigned waitingHead, waitingTail;
static char redisOutput[REDIS_OUTPUT];
static size_t redisOutputLength;

static struct {
    int port, families, seconds;
    const char *redisSocket, *familyPrefix, *revocationsKey, *client;
} options = { .families = 10000, .seconds = 60, .client = "bench-client" };

static EVP_MD_CTX *signingTemplate, *hmacInner, *hmacOuter;
static long nextFamily;

static void fail(const char *format, ...) {
    va_list arguments;
    va_start(arguments, format);
    fputs("baton-floor: ", stderr);
    vfprintf(stderr, format, arguments);
    fputc('\n', stderr);
    va_end(arguments);
    exit(1);
}

static size_t base64url(const unsigned char *input, size_t count, char *output) {
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    size_t written = 0, index = 0;
    for (; index + 2 < count; index += 3) {
        unsigned value = input[index] << 16 | input[index + 1] << 8 | input[index + 2];
        output[written++] = alphabet[value >> 18];
        output[written++] = alphabet[(value >> 12) & 63];
        output[written++] = alphabet[(value >> 6) & 63];
        output[written++] = alphabet[value & 63];
    }
    if (count - index >= 1) {
        unsigned value = input[index] << 16 | (count - index == 2 ? input[index + 1] << 8 : 0);
        output[written++] = alphabet[value >> 18];
        output[written++] = alphabet[(value >> 12) & 63];
        if (count - index == 2) output[written++] = alphabet[(value >> 6) & 63];
    }
    return written;
}

/* HMAC-SHA256 from prepared inner and outer digest states, as BatonCrypto does it. */
static void hmac(const void *message, size_t count, unsigned char output[32]) {
    EVP_MD_CTX *context = EVP_MD_CTX_new();
    unsigned length = 0;
    if (!context || !EVP_MD_CTX_copy_ex(context, hmacInner) || !EVP_DigestUpdate(context, message, count)
        || !EVP_DigestFinal_ex(context, output, &length) || !EVP_MD_CTX_copy_ex(context, hmacOuter)
        || !EVP_DigestUpdate(context, output, 32) || !EVP_DigestFinal_ex(context, output, &length))
        fail("HMAC-SHA256 failed");
    EVP_MD_CTX_free(context);
}

static void prepareKeys(void) {
    EVP_PKEY *key = EVP_EC_gen("P-256");
    signingTemplate = EVP_MD_CTX_new();
    if (!key || !signingTemplate || EVP_DigestSignInit_ex(signingTemplate, NULL, "SHA256", NULL, NULL, key, NULL) != 1)
        fail("cannot prepare an ES256 key");
    unsigned char secret[32], pad[64];
    if (RAND_bytes(secret, sizeof secret) != 1) fail("RAND_bytes failed");
    hmacInner = EVP_MD_CTX_new();
    hmacOuter = EVP_MD_CTX_new();
    for (int pass = 0; pass < 2; pass++) {
        EVP_MD_CTX *context = pass == 0 ? hmacInner : hmacOuter;
        memset(pad, pass == 0 ? 0x36 : 0x5c, sizeof pad);
        for (size_t index = 0; index < sizeof secret; index++) pad[index] ^= secret[index];
        if (!context || !EVP_DigestInit_ex2(context, EVP_sha256(), NULL) || !EVP_DigestUpdate(context, pad, sizeof pad))
            fail("cannot prepare the HMAC key");
    }
}

/* Appends `FCALL bt_bench_refresh 2 <family> <revocations key> 0 <client> <now> 10000 <30 days> ''`. */
static void sendRefresh(int fd) {
    if (waitingTail - waitingHead == MAX_IN_FLIGHT || redisOutputLength > REDIS_OUTPUT - 1024)
        fail("too many requests in flight");
    char family[64], now[24];
    struct timeval clock;
    gettimeofday(&clock, NULL);
    int familyLength = snprintf(family, sizeof family, "%s%012ld", options.familyPrefix, nextFamily++ % options.families);
    int nowLength = snprintf(now, sizeof now, "%lld", (long long)clock.tv_sec * 1000 + clock.tv_usec / 1000);
    redisOutputLength += snprintf(redisOutput + redisOutputLength, REDIS_OUTPUT - redisOutputLength,
        "*11\r\n$5\r\nFCALL\r\n$16\r\nbt_bench_refresh\r\n$1\r\n2\r\n$%d\r\n%s\r\n$%zu\r\n%s\r\n$1\r\n0\r\n"
        "$%zu\r\n%s\r\n$%d\r\n%s\r\n$5\r\n10000\r\n$10\r\n2592000000\r\n$0\r\n\r\n",
        familyLength, family, strlen(options.revocationsKey), options.revocationsKey,
        strlen(options.client), options.client, nowLength, now);
    waiting[waitingTail % MAX_IN_FLIGHT].fd = fd;
    waiting[waitingTail++ % MAX_IN_FLIGHT].serial = clients[fd]->serial;
}

static void dropClient(int fd) {
    close(fd);
    free(clients[fd]);
    clients[fd] = NULL;
}

/* The token response for a rotation to `generation` of the family of `subject`. */
static void respond(int fd, unsigned long serial, long long generation, const char *subject, const char *scope) {
    if (!clients[fd] || clients[fd]->serial != serial) return;  /* the client left while its refresh was in Redis */
    static const char header[] = "eyJhbGciOiJFUzI1NiIsImtpZCI6ImJhdG9uLWZsb29yIiwidHlwIjoiYXQrand0In0";  /* {"alg":"ES256","kid":"baton-floor","typ":"at+jwt"} */
    unsigned char random[16], der[80], signature[64], refresh[56];
    char jti[24], claims[512], token[1024], refreshText[80], body[1536], response[2048];
    if (RAND_bytes(random, sizeof random) != 1) fail("RAND_bytes failed");
    jti[base64url(random, sizeof random, jti)] = 0;
    time_t now = time(NULL);
    int claimsLength = snprintf(claims, sizeof claims,
        "{\"iss\":\"http://127.0.0.1:%d\",\"sub\":\"%s\",\"aud\":\"api\",\"client_id\":\"%s\",\"scope\":\"%s\","
        "\"iat\":%ld,\"exp\":%ld,\"jti\":\"%s\",\"gen\":%lld}",
        options.port, subject, options.client, scope, (long)now, (long)now + 300, jti, generation);
    size_t tokenLength = sizeof header - 1;
    memcpy(token, header, tokenLength);
    token[tokenLength++] = '.';
    tokenLength += base64url((unsigned char *)claims, claimsLength, token + tokenLength);

    EVP_MD_CTX *context = EVP_MD_CTX_new();
    size_t derLength = sizeof der;
    if (!context || !EVP_MD_CTX_copy_ex(context, signingTemplate)
        || EVP_DigestSign(context, der, &derLength, (unsigned char *)token, tokenLength) != 1)
        fail("ES256 signing failed");
    EVP_MD_CTX_free(context);
    const unsigned char *cursor = der;
    ECDSA_SIG *parsed = d2i_ECDSA_SIG(NULL, &cursor, derLength);
    if (!parsed || BN_bn2binpad(ECDSA_SIG_get0_r(parsed), signature, 32) != 32
        || BN_bn2binpad(ECDSA_SIG_get0_s(parsed), signature + 32, 32) != 32)
        fail("cannot convert the ECDSA signature");
    ECDSA_SIG_free(parsed);
    token[tokenLength++] = '.';
    tokenLength += base64url(signature, sizeof signature, token + tokenLength);
    token[tokenLength] = 0;

    memcpy(refresh, random, 16);
    for (int byte = 0; byte < 8; byte++) refresh[16 + byte] = (unsigned char)(generation >> (8 * byte));
    hmac(refresh, 24, refresh + 24);
    refreshText[base64url(refresh, sizeof refresh, refreshText)] = 0;

    int bodyLength = snprintf(body, sizeof body,
        "{\"access_token\":\"%s\",\"token_type\":\"Bearer\",\"expires_in\":300,\"refresh_token\":\"rt1.%s\",\"scope\":\"%s\"}",
        token, refreshText, scope);
    int headLength = snprintf(response, sizeof response,
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nCache-Control: no-store\r\nPragma: no-cache\r\n"
        "Server: baton-floor\r\nContent-Length: %d\r\n\r\n", bodyLength);
    if (headLength + bodyLength > (int)sizeof response) fail("response too large");
    memcpy(response + headLength, body, bodyLength);
    if (write(fd, response, headLength + bodyLength) != headLength + bodyLength) dropClient(fd);
}

static void readRedis(int redis, redisReader *reader) {
    char bytes[65536];
    ssize_t count = read(redis, bytes, sizeof bytes);
    if (count <= 0) fail("the Redis connection closed");
    if (redisReaderFeed(reader, bytes, count) != REDIS_OK) fail("bad reply bytes from Redis");
    void *object;
    while (1) {
        if (redisReaderGetReply(reader, &object) != REDIS_OK) fail("bad reply from Redis: %s", reader->errstr);
        if (!object) return;
        redisReply *reply = object;
        if (waitingHead == waitingTail) fail("a reply nobody waits for");
        int fd = waiting[waitingHead % MAX_IN_FLIGHT].fd;
        unsigned long serial = waiting[waitingHead++ % MAX_IN_FLIGHT].serial;
        if (reply->type != REDIS_REPLY_ARRAY || reply->elements != 7 || reply->element[0]->type != REDIS_REPLY_STRING
            || strcmp(reply->element[0]->str, "rotated") != 0 || reply->element[1]->type != REDIS_REPLY_INTEGER)
            fail("the rotation script did not rotate (reply type %d: %s)", reply->type,
                 reply->type == REDIS_REPLY_ERROR ? reply->str
                 : reply->type == REDIS_REPLY_ARRAY && reply->elements > 0 && reply->element[0]->str ? reply->element[0]->str : "?");
        respond(fd, serial, reply->element[1]->integer, reply->element[2]->str, reply->element[3]->str);
        freeReplyObject(reply);
    }
}

/* Frames every complete request in the client's bytes; each starts a refresh. */
static void readClient(int fd) {
    struct client *client = clients[fd];
    ssize_t count = read(fd, client->bytes + client->length, sizeof client->bytes - client->length);
    if (count <= 0) {
        if (count == 0 || errno != EAGAIN) dropClient(fd);
        return;
    }
    client->length += count;
    while (1) {
        char *end = memmem(client->bytes, client->length, "\r\n\r\n", 4);
        if (!end) break;
        size_t headLength = end - client->bytes + 4, contentLength = 0;
        for (char *line = memchr(client->bytes, '\n', headLength); line && line < end; line = memchr(line + 1, '\n', end - line)) {
            if (strncasecmp(line + 1, "content-length:", 15) == 0) contentLength = strtoul(line + 16, NULL, 10);
        }
        if (contentLength > sizeof client->bytes || headLength + contentLength > sizeof client->bytes) {
            dropClient(fd);
            return;
        }
        if (client->length < headLength + contentLength) break;
        unsigned char mac[32];
        hmac(client->bytes + headLength, contentLength, mac);
        sendRefresh(fd);
        client->length -= headLength + contentLength;
        memmove(client->bytes, client->bytes + headLength + contentLength, client->length);
    }
    if (client->length == sizeof client->bytes) dropClient(fd);
}

static int listenOn(int port) {
    int listener = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0), one = 1;
    struct sockaddr_in address = { .sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    if (listener < 0 || setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one)
        || setsockopt(listener, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one)
        || bind(listener, (struct sockaddr *)&address, sizeof address) || listen(listener, 1024))
        fail("cannot listen on 127.0.0.1:%d: %s", port, strerror(errno));
    return listener;
}

/* A unix socket, as Baton's embedded Redis has. */
static int connectToRedis(const char *path) {
    int redis = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un address = { .sun_family = AF_UNIX };
    if (strlen(path) >= sizeof address.sun_path) fail("the Redis socket path is too long");
    strcpy(address.sun_path, path);
    if (redis < 0 || connect(redis, (struct sockaddr *)&address, sizeof address))
        fail("cannot connect to Redis at %s: %s", path, strerror(errno));
    return redis;
}

static void parseOptions(int argc, char **argv) {
    static const struct option known[] = {
        { "port", required_argument, NULL, 'p' }, { "redis-socket", required_argument, NULL, 'r' },
        { "families", required_argument, NULL, 'n' }, { "seconds", required_argument, NULL, 's' },
        { "family-prefix", required_argument, NULL, 'f' }, { "revocations-key", required_argument, NULL, 'u' },
        { "client", required_argument, NULL, 'c' }, { 0, 0, 0, 0 },
    };
    int option;
    while ((option = getopt_long(argc, argv, "", known, NULL)) != -1) {
        switch (option) {
        case 'p': options.port = atoi(optarg); break;
        case 'r': options.redisSocket = optarg; break;
        case 'n': options.families = atoi(optarg); break;
        case 's': options.seconds = atoi(optarg); break;
        case 'f': options.familyPrefix = optarg; break;
        case 'u': options.revocationsKey = optarg; break;
        case 'c': options.client = optarg; break;
        default: fail("unknown option; see the comment at the top of loadtest/floor/main.c");
        }
    }
    if (options.port <= 0 || !options.redisSocket || options.families <= 0 || options.seconds <= 0
        || !options.familyPrefix || !options.revocationsKey)
        fail("needs --port, --redis-socket, --family-prefix, --revocations-key, and positive --families and --seconds");
}

int main(int argc, char **argv) {
    parseOptions(argc, argv);
    alarm(options.seconds);
    prepareKeys();
    int listener = listenOn(options.port), redis = connectToRedis(options.redisSocket), one = 1;
    redisReader *reader = redisReaderCreate();
    int events = epoll_create1(0);
    struct epoll_event event = { .events = EPOLLIN, .data.fd = listener }, ready[256];
    epoll_ctl(events, EPOLL_CTL_ADD, listener, &event);
    event.data.fd = redis;
    epoll_ctl(events, EPOLL_CTL_ADD, redis, &event);
    while (1) {
        int count = epoll_wait(events, ready, 256, -1);
        if (count < 0 && errno != EINTR) fail("epoll_wait: %s", strerror(errno));
        for (int index = 0; index < count; index++) {
            int fd = ready[index].data.fd;
            if (fd == listener) {
                int accepted;
                while ((accepted = accept4(listener, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
                    if (accepted >= MAX_FDS || !(clients[accepted] = calloc(1, sizeof(struct client)))) {
                        close(accepted);
                        continue;
                    }
                    clients[accepted]->serial = ++nextSerial;
                    setsockopt(accepted, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                    event.data.fd = accepted;
                    epoll_ctl(events, EPOLL_CTL_ADD, accepted, &event);
                }
            } else if (fd == redis) {
                readRedis(redis, reader);
            } else if (clients[fd]) {
                readClient(fd);
            }
        }
        if (redisOutputLength > 0) {
            for (size_t sent = 0; sent < redisOutputLength;) {
                ssize_t written = write(redis, redisOutput + sent, redisOutputLength - sent);
                if (written <= 0) fail("cannot write to Redis: %s", strerror(errno));
                sent += written;
            }
            redisOutputLength = 0;
        }
    }
}
