// SPDX-License-Identifier: MIT
/*
 * The capture file: SQLite, schema version CAPTURE_SCHEMA_VERSION as
 * docs/capture-format.md documents it. Written whole into a temporary file
 * and renamed, so that a reader finds a complete capture or none.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xxhash.h>

#include "capture_db.h"

static const char *const schema[] = {
	"CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
	"CREATE TABLE settings (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
	"CREATE TABLE processes (pid INTEGER PRIMARY KEY, ppid INTEGER NOT NULL, comm TEXT NOT NULL,"
	" start_time INTEGER NOT NULL, merge_any INTEGER NOT NULL, anonymous_kb INTEGER NOT NULL,"
	" anon_huge_kb INTEGER NOT NULL, pss_anon_kb INTEGER NOT NULL)",
	"CREATE TABLE vmas (pid INTEGER NOT NULL REFERENCES processes, start INTEGER NOT NULL,"
	" end INTEGER NOT NULL, perms TEXT NOT NULL, pgoff INTEGER NOT NULL, name TEXT NOT NULL,"
	" vm_flags TEXT NOT NULL, rss_kb INTEGER NOT NULL, pss_kb INTEGER NOT NULL,"
	" anonymous_kb INTEGER NOT NULL, anon_huge_kb INTEGER NOT NULL, PRIMARY KEY (pid, start))",
	"CREATE TABLE pages (pid INTEGER NOT NULL REFERENCES processes, addr INTEGER NOT NULL,"
	" pfn INTEGER NOT NULL, kpageflags INTEGER NOT NULL, kpagecount INTEGER NOT NULL,"
	" folio_pfn INTEGER NOT NULL, folio_order INTEGER NOT NULL, exclusive INTEGER NOT NULL,"
	" swap INTEGER NOT NULL, fingerprint BLOB, PRIMARY KEY (pid, addr)) WITHOUT ROWID",
	"CREATE TABLE writes (seq INTEGER NOT NULL, t_ms INTEGER NOT NULL, pid INTEGER NOT NULL,"
	" addr INTEGER NOT NULL, fingerprint BLOB, PRIMARY KEY (seq, pid, addr)) WITHOUT ROWID",
	"CREATE INDEX pages_fingerprint ON pages (fingerprint)",
};

void cap_fingerprint(const void *page, struct cap_fp *fp)
{
	XXH128_hash_t h = XXH3_128bits(page, 4096);

	XXH128_canonicalFromHash((XXH128_canonical_t *)fp->b, h);
}

bool cap_fp_is_zero(const struct cap_fp *fp)
{
	static const unsigned char zero[4096];
	struct cap_fp z;

	cap_fingerprint(zero, &z);
	return !memcmp(z.b, fp->b, sizeof(z.b));
}

void capture_free(struct capture *cap)
{
	for (size_t i = 0; i < cap->nr_procs; i++) {
		free(cap->procs[i].vmas);
		free(cap->procs[i].pages);
	}
	free(cap->procs);
	free(cap->settings);
	free(cap->writes);
	memset(cap, 0, sizeof(*cap));
}

struct cap_proc *capture_proc(const struct capture *cap, int pid)
{
	for (size_t i = 0; i < cap->nr_procs; i++)
		if (cap->procs[i].pid == pid)
			return &cap->procs[i];
	return NULL;
}

const char *capture_setting(const struct capture *cap, const char *name)
{
	for (size_t i = 0; i < cap->nr_settings; i++)
		if (!strcmp(cap->settings[i].name, name))
			return cap->settings[i].value;
	return NULL;
}

/* ---- Writing ------------------------------------------------------------------- */

static int db_fail(sqlite3 *db, char *err, size_t len, const char *what)
{
	snprintf(err, len, "%s: %s", what, db ? sqlite3_errmsg(db) : "out of memory");
	return -1;
}

static int exec_all(sqlite3 *db, const char *const *sql, size_t n, char *err, size_t len)
{
	for (size_t i = 0; i < n; i++)
		if (sqlite3_exec(db, sql[i], NULL, NULL, NULL) != SQLITE_OK)
			return db_fail(db, err, len, sql[i]);
	return 0;
}

/* Binds the values (i64 unless a text or blob column) and steps once. */
static int put_row(sqlite3 *db, sqlite3_stmt *st, char *err, size_t len)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc == SQLITE_DONE ? 0 : db_fail(db, err, len, "writing a row");
}

static void bind_text(sqlite3_stmt *st, int i, const char *s)
{
	sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
}

static int save_meta(sqlite3 *db, const struct capture *cap, char *err, size_t len)
{
	char v[8][32];
	const char *rows[][2] = {
		{ "schema_version", v[0] }, { "kernel_release", cap->kernel },
		{ "captured_at", cap->captured_at }, { "page_size", "4096" },
		{ "soft_dirty", v[1] }, { "interval_ms", v[2] }, { "duration_ms", v[3] },
		{ "fingerprint", "XXH3_128bits, canonical (big-endian) bytes" },
	};
	sqlite3_stmt *st;
	int ret = 0;

	snprintf(v[0], sizeof(v[0]), "%d", CAPTURE_SCHEMA_VERSION);
	snprintf(v[1], sizeof(v[1]), "%d", cap->soft_dirty);
	snprintf(v[2], sizeof(v[2]), "%ld", cap->interval_ms);
	snprintf(v[3], sizeof(v[3]), "%ld", cap->duration_ms);
	if (sqlite3_prepare_v2(db, "INSERT INTO meta VALUES (?, ?)", -1, &st, NULL))
		return db_fail(db, err, len, "meta");
	for (size_t i = 0; !ret && i < sizeof(rows) / sizeof(rows[0]); i++) {
		bind_text(st, 1, rows[i][0]);
		bind_text(st, 2, rows[i][1]);
		ret = put_row(db, st, err, len);
	}
	sqlite3_finalize(st);
	if (ret || !cap->nr_settings)
		return ret;
	if (sqlite3_prepare_v2(db, "INSERT INTO settings VALUES (?, ?)", -1, &st, NULL))
		return db_fail(db, err, len, "settings");
	for (size_t i = 0; !ret && i < cap->nr_settings; i++) {
		bind_text(st, 1, cap->settings[i].name);
		bind_text(st, 2, cap->settings[i].value);
		ret = put_row(db, st, err, len);
	}
	sqlite3_finalize(st);
	return ret;
}

static int save_proc(sqlite3 *db, sqlite3_stmt **st, const struct cap_proc *p, char *err,
		     size_t len)
{
	int ret;

	sqlite3_bind_int64(st[0], 1, p->pid);
	sqlite3_bind_int64(st[0], 2, p->ppid);
	bind_text(st[0], 3, p->comm);
	sqlite3_bind_int64(st[0], 4, (sqlite3_int64)p->start_time);
	sqlite3_bind_int64(st[0], 5, p->merge_any);
	sqlite3_bind_int64(st[0], 6, p->anonymous_kb);
	sqlite3_bind_int64(st[0], 7, p->anon_huge_kb);
	sqlite3_bind_int64(st[0], 8, p->pss_anon_kb);
	if ((ret = put_row(db, st[0], err, len)))
		return ret;
	for (size_t i = 0; i < p->nr_vmas; i++) {
		const struct cap_vma *v = &p->vmas[i];

		sqlite3_bind_int64(st[1], 1, p->pid);
		sqlite3_bind_int64(st[1], 2, (sqlite3_int64)v->start);
		sqlite3_bind_int64(st[1], 3, (sqlite3_int64)v->end);
		bind_text(st[1], 4, v->perms);
		sqlite3_bind_int64(st[1], 5, (sqlite3_int64)v->pgoff);
		bind_text(st[1], 6, v->name);
		bind_text(st[1], 7, v->vm_flags);
		sqlite3_bind_int64(st[1], 8, v->rss_kb);
		sqlite3_bind_int64(st[1], 9, v->pss_kb);
		sqlite3_bind_int64(st[1], 10, v->anonymous_kb);
		sqlite3_bind_int64(st[1], 11, v->anon_huge_kb);
		if ((ret = put_row(db, st[1], err, len)))
			return ret;
	}
	for (size_t i = 0; i < p->nr_pages; i++) {
		const struct cap_page *pg = &p->pages[i];

		sqlite3_bind_int64(st[2], 1, p->pid);
		sqlite3_bind_int64(st[2], 2, (sqlite3_int64)pg->addr);
		sqlite3_bind_int64(st[2], 3, (sqlite3_int64)pg->pfn);
		sqlite3_bind_int64(st[2], 4, (sqlite3_int64)pg->kpageflags);
		sqlite3_bind_int64(st[2], 5, (sqlite3_int64)pg->kpagecount);
		sqlite3_bind_int64(st[2], 6, (sqlite3_int64)pg->folio_pfn);
		sqlite3_bind_int64(st[2], 7, pg->folio_order);
		sqlite3_bind_int64(st[2], 8, pg->exclusive);
		sqlite3_bind_int64(st[2], 9, pg->swap);
		if (pg->has_fp)
			sqlite3_bind_blob(st[2], 10, pg->fp.b, 16, SQLITE_TRANSIENT);
		if ((ret = put_row(db, st[2], err, len)))
			return ret;
	}
	return 0;
}

static int save_body(sqlite3 *db, const struct capture *cap, volatile int *stop, char *err,
		     size_t len)
{
	static const char *const ins[] = {
		"INSERT INTO processes VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
		"INSERT INTO vmas VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		"INSERT INTO pages VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		"INSERT INTO writes VALUES (?, ?, ?, ?, ?)",
	};
	sqlite3_stmt *st[4] = { 0 };
	int ret = 0;

	for (int i = 0; i < 4; i++)
		if (sqlite3_prepare_v2(db, ins[i], -1, &st[i], NULL)) {
			ret = db_fail(db, err, len, ins[i]);
			goto out;
		}
	for (size_t i = 0; !ret && i < cap->nr_procs; i++) {
		if (stop && *stop) {
			snprintf(err, len, "interrupted");
			ret = -1;
			break;
		}
		ret = save_proc(db, st, &cap->procs[i], err, len);
	}
	for (size_t i = 0; !ret && i < cap->nr_writes; i++) {
		const struct cap_write *w = &cap->writes[i];

		sqlite3_bind_int64(st[3], 1, w->seq);
		sqlite3_bind_int64(st[3], 2, w->t_ms);
		sqlite3_bind_int64(st[3], 3, w->pid);
		sqlite3_bind_int64(st[3], 4, (sqlite3_int64)w->addr);
		if (w->present)
			sqlite3_bind_blob(st[3], 5, w->fp.b, 16, SQLITE_TRANSIENT);
		ret = put_row(db, st[3], err, len);
	}
out:
	for (int i = 0; i < 4; i++)
		sqlite3_finalize(st[i]);
	return ret;
}

/* The temporary file beside path: ".NAME.tmp-XXXXXX" in the same directory. */
static int temp_beside(const char *path, char *tmp, size_t len)
{
	char a[PATH_MAX], b[PATH_MAX];
	int fd;

	snprintf(a, sizeof(a), "%s", path);
	snprintf(b, sizeof(b), "%s", path);
	if ((size_t)snprintf(tmp, len, "%s/.%s.tmp-XXXXXX", dirname(a), basename(b)) >= len)
		return -ENAMETOOLONG;
	fd = mkstemp(tmp);
	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

int capture_save(const struct capture *cap, const char *path, volatile int *stop, char *err,
		 size_t len)
{
	static const char *const pragmas[] = {
		"PRAGMA journal_mode=OFF", "PRAGMA synchronous=OFF", "BEGIN",
	};
	char tmp[PATH_MAX];
	sqlite3 *db = NULL;
	int ret, fd;

	ret = temp_beside(path, tmp, sizeof(tmp));
	if (ret) {
		snprintf(err, len, "%s: cannot create a temporary file beside it: %s", path,
			 strerror(-ret));
		return -1;
	}
	if (sqlite3_open_v2(tmp, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		ret = db_fail(db, err, len, tmp);
		goto fail;
	}
	ret = exec_all(db, pragmas, 3, err, len);
	if (!ret)
		ret = exec_all(db, schema, sizeof(schema) / sizeof(schema[0]), err, len);
	if (!ret)
		ret = save_meta(db, cap, err, len);
	if (!ret)
		ret = save_body(db, cap, stop, err, len);
	if (!ret && sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		ret = db_fail(db, err, len, "COMMIT");
	if (sqlite3_close(db) != SQLITE_OK && !ret) {
		snprintf(err, len, "%s: closing failed", tmp);
		ret = -1;
	}
	db = NULL;
	if (ret)
		goto fail;
	fd = open(tmp, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fsync(fd)) {
		snprintf(err, len, "%s: %s", tmp, strerror(errno));
		if (fd >= 0)
			close(fd);
		goto fail;
	}
	close(fd);
	if (stop && *stop) {
		snprintf(err, len, "interrupted");
		goto fail;
	}
	if (rename(tmp, path)) {
		snprintf(err, len, "renaming %s to %s: %s", tmp, path, strerror(errno));
		goto fail;
	}
	return 0;
fail:
	if (db)
		sqlite3_close(db);
	unlink(tmp);
	return -1;
}

/* ---- Reading ------------------------------------------------------------------- */

struct loader {
	sqlite3 *db;
	const char *path;
	char *err;
	size_t len;
};

static int load_fail(struct loader *l, const char *what)
{
	snprintf(l->err, l->len, "%s: %s: %s", l->path, what, sqlite3_errmsg(l->db));
	return -1;
}

static void col_text(sqlite3_stmt *st, int i, char *out, size_t len)
{
	const unsigned char *t = sqlite3_column_text(st, i);

	snprintf(out, len, "%s", t ? (const char *)t : "");
}

static bool col_fp(sqlite3_stmt *st, int i, struct cap_fp *fp)
{
	if (sqlite3_column_type(st, i) != SQLITE_BLOB || sqlite3_column_bytes(st, i) != 16)
		return false;
	memcpy(fp->b, sqlite3_column_blob(st, i), 16);
	return true;
}

/* Grows *arr by one element of size sz; NULL on ENOMEM. */
static void *grow(void **arr, size_t *nr, size_t *cap, size_t sz)
{
	if (*nr == *cap) {
		size_t n = *cap ? *cap * 2 : 16;
		void *p = realloc(*arr, n * sz);

		if (!p)
			return NULL;
		*arr = p;
		*cap = n;
	}
	memset((char *)*arr + *nr * sz, 0, sz);
	return (char *)*arr + (*nr)++ * sz;
}

static int load_meta(struct loader *l, struct capture *cap)
{
	sqlite3_stmt *st;
	bool version = false;
	int rc;

	if (sqlite3_prepare_v2(l->db, "SELECT key, value FROM meta", -1, &st, NULL))
		return load_fail(l, "not an mmsim capture (no meta table)");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *k = (const char *)sqlite3_column_text(st, 0);
		char v[128];

		col_text(st, 1, v, sizeof(v));
		if (!k)
			continue;
		if (!strcmp(k, "schema_version")) {
			cap->schema_version = atoi(v);
			version = true;
		} else if (!strcmp(k, "kernel_release")) {
			snprintf(cap->kernel, sizeof(cap->kernel), "%s", v);
		} else if (!strcmp(k, "captured_at")) {
			snprintf(cap->captured_at, sizeof(cap->captured_at), "%.31s", v);
		} else if (!strcmp(k, "soft_dirty")) {
			cap->soft_dirty = atoi(v);
		} else if (!strcmp(k, "interval_ms")) {
			cap->interval_ms = atol(v);
		} else if (!strcmp(k, "duration_ms")) {
			cap->duration_ms = atol(v);
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return load_fail(l, "reading meta");
	if (!version || cap->schema_version < 1) {
		snprintf(l->err, l->len, "%s: not an mmsim capture (meta has no valid schema_version)",
			 l->path);
		return -1;
	}
	if (cap->schema_version > CAPTURE_SCHEMA_VERSION) {
		snprintf(l->err, l->len, "%s: capture schema version %d is newer than this mmsim "
			 "reads (%d): use a newer mmsim", l->path, cap->schema_version,
			 CAPTURE_SCHEMA_VERSION);
		return -1;
	}
	return 0;
}

static int load_settings(struct loader *l, struct capture *cap)
{
	sqlite3_stmt *st;
	size_t room = 0;
	int rc;

	if (sqlite3_prepare_v2(l->db, "SELECT name, value FROM settings ORDER BY name", -1, &st,
			       NULL))
		return load_fail(l, "settings");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct cap_setting *s = grow((void **)&cap->settings, &cap->nr_settings, &room,
					     sizeof(*s));

		if (!s) {
			sqlite3_finalize(st);
			snprintf(l->err, l->len, "out of memory");
			return -1;
		}
		col_text(st, 0, s->name, sizeof(s->name));
		col_text(st, 1, s->value, sizeof(s->value));
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : load_fail(l, "reading settings");
}

static int load_vmas(struct loader *l, struct cap_proc *p)
{
	sqlite3_stmt *st;
	size_t room = 0;
	int rc;

	if (sqlite3_prepare_v2(l->db, "SELECT start, end, perms, pgoff, name, vm_flags, rss_kb,"
			       " pss_kb, anonymous_kb, anon_huge_kb FROM vmas WHERE pid = ?"
			       " ORDER BY start", -1, &st, NULL))
		return load_fail(l, "vmas");
	sqlite3_bind_int64(st, 1, p->pid);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct cap_vma *v = grow((void **)&p->vmas, &p->nr_vmas, &room, sizeof(*v));

		if (!v)
			break;
		v->start = (uint64_t)sqlite3_column_int64(st, 0);
		v->end = (uint64_t)sqlite3_column_int64(st, 1);
		col_text(st, 2, v->perms, sizeof(v->perms));
		v->pgoff = (uint64_t)sqlite3_column_int64(st, 3);
		col_text(st, 4, v->name, sizeof(v->name));
		col_text(st, 5, v->vm_flags, sizeof(v->vm_flags));
		v->rss_kb = (long)sqlite3_column_int64(st, 6);
		v->pss_kb = (long)sqlite3_column_int64(st, 7);
		v->anonymous_kb = (long)sqlite3_column_int64(st, 8);
		v->anon_huge_kb = (long)sqlite3_column_int64(st, 9);
		if (v->end <= v->start || (v->start | v->end) & 4095) {
			sqlite3_finalize(st);
			snprintf(l->err, l->len, "%s: corrupt: process %d has a VMA [%#llx, %#llx)",
				 l->path, p->pid, (unsigned long long)v->start,
				 (unsigned long long)v->end);
			return -1;
		}
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW) {
		snprintf(l->err, l->len, "out of memory");
		return -1;
	}
	return rc == SQLITE_DONE ? 0 : load_fail(l, "reading vmas");
}

static int load_pages(struct loader *l, struct cap_proc *p)
{
	sqlite3_stmt *st;
	size_t room = 0;
	int rc;

	if (sqlite3_prepare_v2(l->db, "SELECT addr, pfn, kpageflags, kpagecount, folio_pfn,"
			       " folio_order, exclusive, swap, fingerprint FROM pages WHERE pid = ?"
			       " ORDER BY addr", -1, &st, NULL))
		return load_fail(l, "pages");
	sqlite3_bind_int64(st, 1, p->pid);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct cap_page *pg = grow((void **)&p->pages, &p->nr_pages, &room, sizeof(*pg));

		if (!pg)
			break;
		pg->addr = (uint64_t)sqlite3_column_int64(st, 0);
		pg->pfn = (uint64_t)sqlite3_column_int64(st, 1);
		pg->kpageflags = (uint64_t)sqlite3_column_int64(st, 2);
		pg->kpagecount = (uint64_t)sqlite3_column_int64(st, 3);
		pg->folio_pfn = (uint64_t)sqlite3_column_int64(st, 4);
		pg->folio_order = sqlite3_column_int(st, 5);
		pg->exclusive = sqlite3_column_int(st, 6);
		pg->swap = sqlite3_column_int(st, 7);
		pg->has_fp = col_fp(st, 8, &pg->fp);
		if (pg->addr & 4095 || pg->folio_order < 0 || pg->folio_order > 18 ||
		    (sqlite3_column_type(st, 8) != SQLITE_NULL && !pg->has_fp)) {
			sqlite3_finalize(st);
			snprintf(l->err, l->len, "%s: corrupt: process %d, page %#llx: bad address, "
				 "folio order or fingerprint (16 bytes expected)", l->path, p->pid,
				 (unsigned long long)pg->addr);
			return -1;
		}
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW) {
		snprintf(l->err, l->len, "out of memory");
		return -1;
	}
	return rc == SQLITE_DONE ? 0 : load_fail(l, "reading pages");
}

static int load_procs(struct loader *l, struct capture *cap)
{
	sqlite3_stmt *st;
	size_t room = 0;
	int rc, ret = 0;

	if (sqlite3_prepare_v2(l->db, "SELECT pid, ppid, comm, start_time, merge_any, anonymous_kb,"
			       " anon_huge_kb, pss_anon_kb FROM processes"
			       " ORDER BY pid", -1, &st, NULL))
		return load_fail(l, "processes");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct cap_proc *p = grow((void **)&cap->procs, &cap->nr_procs, &room, sizeof(*p));

		if (!p) {
			sqlite3_finalize(st);
			snprintf(l->err, l->len, "out of memory");
			return -1;
		}
		p->pid = sqlite3_column_int(st, 0);
		p->ppid = sqlite3_column_int(st, 1);
		col_text(st, 2, p->comm, sizeof(p->comm));
		p->start_time = (unsigned long long)sqlite3_column_int64(st, 3);
		p->merge_any = sqlite3_column_int(st, 4);
		p->anonymous_kb = (long)sqlite3_column_int64(st, 5);
		p->anon_huge_kb = (long)sqlite3_column_int64(st, 6);
		p->pss_anon_kb = (long)sqlite3_column_int64(st, 7);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return load_fail(l, "reading processes");
	for (size_t i = 0; !ret && i < cap->nr_procs; i++) {
		ret = load_vmas(l, &cap->procs[i]);
		if (!ret)
			ret = load_pages(l, &cap->procs[i]);
	}
	return ret;
}

static int load_writes(struct loader *l, struct capture *cap)
{
	sqlite3_stmt *st;
	size_t room = 0;
	int rc;

	if (sqlite3_prepare_v2(l->db, "SELECT seq, t_ms, pid, addr, fingerprint FROM writes"
			       " ORDER BY seq, pid, addr", -1, &st, NULL))
		return load_fail(l, "writes");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct cap_write *w = grow((void **)&cap->writes, &cap->nr_writes, &room, sizeof(*w));

		if (!w) {
			sqlite3_finalize(st);
			snprintf(l->err, l->len, "out of memory");
			return -1;
		}
		w->seq = sqlite3_column_int(st, 0);
		w->t_ms = (long)sqlite3_column_int64(st, 1);
		w->pid = sqlite3_column_int(st, 2);
		w->addr = (uint64_t)sqlite3_column_int64(st, 3);
		w->present = col_fp(st, 4, &w->fp);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : load_fail(l, "reading writes");
}

/* PRAGMA quick_check: a truncated or damaged file says so before any query. */
static int check_file(struct loader *l)
{
	sqlite3_stmt *st;
	char first[256] = "";
	int rc;

	if (sqlite3_prepare_v2(l->db, "PRAGMA quick_check", -1, &st, NULL))
		return load_fail(l, "not an SQLite database, or damaged");
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		col_text(st, 0, first, sizeof(first));
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return load_fail(l, "not an SQLite database, or damaged");
	if (strcmp(first, "ok")) {
		snprintf(l->err, l->len, "%s: corrupt or truncated capture: %s", l->path, first);
		return -1;
	}
	return 0;
}

int capture_load(const char *path, struct capture *cap, char *err, size_t len)
{
	struct loader l = { .path = path, .err = err, .len = len };
	int ret;

	memset(cap, 0, sizeof(*cap));
	if (access(path, R_OK)) {
		snprintf(err, len, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (sqlite3_open_v2(path, &l.db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		ret = load_fail(&l, "cannot open");
		sqlite3_close(l.db);
		return ret;
	}
	ret = check_file(&l);
	if (!ret)
		ret = load_meta(&l, cap);
	if (!ret)
		ret = load_settings(&l, cap);
	if (!ret)
		ret = load_procs(&l, cap);
	if (!ret)
		ret = load_writes(&l, cap);
	sqlite3_close(l.db);
	if (ret)
		capture_free(cap);
	return ret;
}
