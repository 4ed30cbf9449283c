/* SPDX-License-Identifier: MIT */
/* The commands of captured workloads: mmsim capture, replay and whatif. */
#ifndef MMSIM_CLI_CAPTURE_CMD_H
#define MMSIM_CLI_CAPTURE_CMD_H

int cmd_capture(int argc, char **argv);
int cmd_replay(int argc, char **argv);
int cmd_whatif(int argc, char **argv);
/* mmsim whatif mapcount and thp; argv[0] is the capture. */
int cmd_whatif_mapcount(int argc, char **argv);
int cmd_whatif_thp(int argc, char **argv);

#endif /* MMSIM_CLI_CAPTURE_CMD_H */
