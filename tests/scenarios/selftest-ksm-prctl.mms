# Linux 7.3.4 tools/testing/selftests/mm/ksm_functional_tests.c, test_prctl():
# PR_SET_MEMORY_MERGE 1 is effective (PR_GET_MEMORY_MERGE, here ksm_stat's
# ksm_merge_any, answers 1), and 0 clears it.
proc P
prctl P merge on
expect ksm_stat P ksm_merge_any == yes
prctl P merge off
expect ksm_stat P ksm_merge_any == no
