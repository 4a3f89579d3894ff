# Source this to get the pinned Node 24 and pnpm on PATH in a shell:  source scripts/dev-env.sh
_llmux_bin=$(npx -y -p node@24.21.0 -p pnpm@10.34.9 -- sh -c 'echo "${PATH%%:*}"' 2>/dev/null)
export PATH="$_llmux_bin:$PATH" TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1
unset _llmux_bin
