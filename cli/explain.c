// SPDX-License-Identifier: MIT
#include "draw.h"
int cmd_explain(int argc, char **argv) { (void)argc; (void)argv; return 2; }
