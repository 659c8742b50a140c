# The harness: see README.md. Each target is a script in scripts/.
.PHONY: run test test-debug tree export check-harness bench profile send apply clean

run:
	scripts/run.sh
test:
	scripts/test.sh
test-debug:
	scripts/test.sh --debug
tree:
	scripts/tree.sh $(if $(FORCE),--force)
export:
	scripts/export.sh
check-harness:
	scripts/check-harness.sh
bench:
	scripts/bench.sh
profile:
	scripts/profile.sh
send:
	scripts/send.sh
apply:
	scripts/apply.sh "$(KERNEL_TREE)"
clean:
	rm -rf build
