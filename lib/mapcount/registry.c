// SPDX-License-Identifier: MIT
/*
 * The mapcount schemes by name, for mmsim_config.scheme and the scenario
 * language's "scheme NAME". "linux" (6.18, this machine) comes first.
 */
#include <string.h>

#include "../mapcount.h"

const struct mapcount_ops *const mapcount_schemes[] = {
	&mapcount_linux_ops,
	&mapcount_legacy_ops,
	&mapcount_large_ops,
	&mapcount_nopagemapcount_ops,
	&mapcount_tuples_ops,
	&mapcount_fullpartial_ops,
	&mapcount_tuples_exact_ops,
	&mapcount_mappedpages_ops,
	NULL,
};

const char *mmsim_scheme_name(int i)
{
	for (int k = 0; mapcount_schemes[k]; k++)
		if (k == i)
			return mapcount_schemes[k]->name;
	return NULL;
}

int mmsim_scheme_info(const char *name, struct mmsim_scheme_info *out)
{
	const struct mapcount_ops *ops = name ? mapcount_ops_by_name(name) : NULL;

	if (!ops)
		return -EINVAL;
	out->bytes_per_folio = ops->bytes_per_folio;
	out->bytes_per_page = ops->bytes_per_page;
	return 0;
}

const struct mapcount_ops *mapcount_ops_by_name(const char *name)
{
	for (int i = 0; mapcount_schemes[i]; i++)
		if (!strcmp(mapcount_schemes[i]->name, name))
			return mapcount_schemes[i];
	return NULL;
}
