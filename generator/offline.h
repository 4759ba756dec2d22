/* SPDX-License-Identifier: MIT */
/*
 * offline: the offline copy as one ZIP file (sapan build --zip FILE). It
 * builds the offline site (build_options.offline) into the output folder,
 * or into a private temporary one when none is given, and writes every
 * file of it, the language page at the archive's root, into FILE with
 * libzip (the only user).
 *
 * FILE is never a file of someone else's: the archive carries the comment
 * OFFLINE_ZIP_COMMENT, and an existing FILE is replaced only when it is a
 * ZIP with that comment; anything else there (another file, a folder, a
 * symbolic link) is refused before the build. The archive is written to
 * FILE.sapan-XXXXXX in FILE's folder and renamed over FILE once whole, so
 * FILE is at every moment the old archive or the new one; a failed or
 * stopped build leaves it as it was. FILE may not lie inside the content,
 * templates or output folder, where a build would publish or remove it.
 */
#ifndef SAPAN_OFFLINE_H
#define SAPAN_OFFLINE_H

#include <stdint.h>

#include "build.h"
#include "diag.h"

/* The comment of every archive sapan writes: how it knows its own. */
#define OFFLINE_ZIP_COMMENT "Offline copy of a site, written by sapan"

/*
 * Builds with opts (whose offline must be set; output_dir NULL: a
 * temporary folder, removed afterwards, and no build cache) and writes
 * the ZIP zip_path, every entry dated made_at (seconds since 1970).
 * Returns 0, or -1 with errors in diags (then zip_path is as it was).
 */
int offline_zip_run(const struct build_options *opts, const char *zip_path, int64_t made_at,
		    struct build_stats *stats, struct diag_list *diags);

/*
 * Writes every regular file below folder, but sapan's own bookkeeping
 * (output.h's marker, manifest and staging folder), into the ZIP
 * zip_path as described above: index.html first, then the rest in byte
 * order of their paths. Returns 0 or -1 with an error.
 */
int offline_zip_folder(const char *folder, const char *zip_path, int64_t made_at,
		       struct diag_list *diags);

#endif
