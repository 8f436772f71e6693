# bash completion for xm's programs and scripts: their options, the
# values of those that take a few known words (-m's families, --columns,
# --panels, -o's formats), files and directories where a path is asked
# for, notifiers for xm-alert -x.  Plain bash: compgen and complete, no
# helper of bash-completion's, so that it works where that is missing.

_xm_families='cpu memory swap disk io net load process cgroup app pressure vm fd procs tcp sensors'
_xm_columns='n mean min max stddev slope trend baseline zscore rzscore eta_seconds'
_xm_panels='system disks processes alerts trends other'

_xm_sample_opts='-H --no-header -i --interval -m --families -n --count -P --name -p --pid
	--top --host --per-cpu --procfs --sysfs --rootfs --mount-include --mount-exclude
	--fstype-include --fstype-exclude --synthetic --seed --start --state --wait
	-h --help -V --version'
_xm_buffer_opts='-H --no-header -s --size -w --window --columns --forecast --limit --csv
	--every --summary --halflife --forget --season --max-series --state --wait --strict
	-h --help -V --version'
_xm_alert_opts='-r --rule -c --config --rules -e --events -H --no-header -x --exec
	--exec-timeout --stale --state --wait --forget --list --resolve --check --csv
	--max-series --strict -h --help -V --version'
_xm_show_opts='-r --refresh --ascii --host --only --once --follow -W --width --panels
	-o --output -O --output-file --prefix -l --listen --web-config --csv --max-series
	--forget --strict --history --flap -h --help -V --version'

# The word being completed and the option before it, --opt=value split
# at the = as bash's COMP_WORDBREAKS splits it.
_xm_words() {
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=
	[ "$COMP_CWORD" -gt 0 ] && prev=${COMP_WORDS[COMP_CWORD-1]}
	if [ "$cur" = = ]; then
		cur=
	elif [ "$prev" = = ] && [ "$COMP_CWORD" -gt 1 ]; then
		prev=${COMP_WORDS[COMP_CWORD-2]}
	fi
}

# The words of $2 that start $1, one a line, into COMPREPLY.
_xm_words_of() {
	local IFS=$' \t\n'
	COMPREPLY=($(compgen -W "$2" -- "$1"))
}

# A comma-separated list of the words $2, the part after the last comma of $1 completed.
_xm_list() {
	local head= w
	case $1 in *,*) head=${1%,*}, ;; esac
	COMPREPLY=()
	for w in $(compgen -W "$2" -- "${1##*,}"); do
		COMPREPLY+=("$head$w")
	done
	compopt -o nospace 2> /dev/null
	return 0
}

_xm_files() {
	compopt -o filenames 2> /dev/null
	local IFS=$'\n'
	COMPREPLY=($(compgen -f -- "$1"))
	return 0
}

_xm_dirs() {
	compopt -o filenames 2> /dev/null
	local IFS=$'\n'
	COMPREPLY=($(compgen -d -- "$1"))
	return 0
}

# Options, where the word starts with -; else nothing.
_xm_opts() {
	case $1 in
	-*) _xm_words_of "$1" "$2" ;;
	*) COMPREPLY=() ;;
	esac
}

_xm_sample() {
	local cur prev
	_xm_words
	case $prev in
	-m | --families) _xm_list "$cur" "$_xm_families"; return ;;
	--procfs | --sysfs | --rootfs) _xm_dirs "$cur"; return ;;
	--state) _xm_files "$cur"; return ;;
	-P | --name) _xm_words_of "$cur" "$(ps -e -o comm= 2> /dev/null | sort -u)"; return ;;
	-p | --pid) _xm_words_of "$cur" "$(ps -e -o pid= 2> /dev/null)"; return ;;
	-i | --interval | -n | --count | --top | --host | --seed | --start | --wait | \
	    --mount-include | --mount-exclude | --fstype-include | --fstype-exclude)
		COMPREPLY=(); return ;;
	esac
	_xm_opts "$cur" "$_xm_sample_opts"
}

_xm_buffer() {
	local cur prev
	_xm_words
	case $prev in
	--columns) _xm_list "$cur" "$_xm_columns"; return ;;
	--state) _xm_files "$cur"; return ;;
	-s | --size | -w | --window | --forecast | --limit | --every | --halflife | --forget | \
	    --season | --max-series | --wait)
		COMPREPLY=(); return ;;
	esac
	_xm_opts "$cur" "$_xm_buffer_opts"
}

_xm_alert() {
	local cur prev
	_xm_words
	case $prev in
	-c | --config | --state) _xm_files "$cur"; return ;;
	-x | --exec)
		local IFS=$'\n'
		COMPREPLY=($(compgen -c -- "$cur"))
		return ;;
	-r | --rule | --exec-timeout | --stale | --wait | --forget | --resolve | --max-series)
		COMPREPLY=(); return ;;
	esac
	_xm_opts "$cur" "$_xm_alert_opts"
}

# xm-show's, also for the scripts that hand their options on to it.
_xm_show_value() {
	case $prev in
	-o | --output) _xm_words_of "$cur" 'text prom json influx csv tsv' ;;
	--panels) _xm_list "$cur" "$_xm_panels" ;;
	-O | --output-file | --web-config) _xm_files "$cur" ;;
	-r | --refresh | --host | --only | -W | --width | --prefix | -l | --listen | \
	    --max-series | --forget | --flap)
		COMPREPLY=() ;;
	*) return 1 ;;
	esac
	return 0
}

_xm_show() {
	local cur prev
	_xm_words
	_xm_show_value && return
	_xm_opts "$cur" "$_xm_show_opts"
}

_xm_push() {
	local cur prev
	_xm_words
	case $prev in
	-f) _xm_words_of "$cur" 'prom influx'; return ;;
	-i | -m) COMPREPLY=(); return ;;
	esac
	_xm_opts "$cur" '-f -i -m -h --help'
}

_xm_exporter() {
	local cur prev
	_xm_words
	case $prev in
	-s) _xm_dirs "$cur"; return ;;
	-i) COMPREPLY=(); return ;;
	esac
	_xm_show_value && return
	_xm_opts "$cur" "-i -s -h --help $_xm_show_opts"
}

_xm_dashboard() {
	local cur prev
	_xm_words
	_xm_show_value && return
	_xm_opts "$cur" "--demo $_xm_show_opts"
}

_xm_notify() {
	local cur prev
	_xm_words
	_xm_opts "$cur" '-h --help'
}

_xm_webhook() {
	local cur prev
	_xm_words
	case $prev in
	-t) _xm_words_of "$cur" 'json slack teams ntfy gotify'; return ;;
	esac
	_xm_opts "$cur" '-t -h --help'
}

complete -F _xm_sample xm-sample
complete -F _xm_buffer xm-buffer
complete -F _xm_alert xm-alert
complete -F _xm_show xm-show
complete -F _xm_push xm-push
complete -F _xm_exporter xm-exporter
complete -F _xm_dashboard xm-dashboard
complete -F _xm_notify xm-notify-syslog xm-notify-mail xm-notify-alertmanager
complete -F _xm_webhook xm-notify-webhook
