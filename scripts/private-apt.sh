# shellcheck shell=bash
# Sourced by scripts/fetch-kernels.sh and scripts/build-gup-kernel.sh: a
# private apt state under the kernel cache ($cache), its own sources, lists
# and archives, so that a kernel's packages come from Debian without a
# change to the system's apt sources.
#   private_apt DIR URI SUITE [URI SUITE]...   sets apt_opts for $cache/DIR
private_apt() {
	local d=$cache/$1 uri suite
	shift
	mkdir -p "$d/lists/partial" "$d/archives/partial"
	: >"$d/private.sources"
	while [ $# -ge 2 ]; do
		uri=$1 suite=$2
		shift 2
		printf '%s\n' 'Types: deb' "URIs: $uri" "Suites: $suite" 'Components: main' \
			'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg' '' >>"$d/private.sources"
	done
	apt_opts=(-o "Dir::Etc::SourceList=$d/private.sources" -o Dir::Etc::SourceParts=/dev/null
		-o "APT::Sandbox::User=$(id -un)"
		-o "Dir::State::Lists=$d/lists" -o "Dir::Cache=$d" -o "Dir::Cache::archives=$d/archives")
}
