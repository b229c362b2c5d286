/*
 * Console input test guest (Mini-OS): reads one line from stdin (the
 * hypervisor's console_io read, foreground domain only) and echoes it.
 */
#include <stdio.h>
#include <string.h>

#include <minios/minios.h>

int app_main(const struct vmm_start_info *si)
{
	char line[64];

	(void)si;
	printf("echo: type a line\n");
	if (!fgets(line, sizeof(line), stdin)) {
		printf("echo: FAIL no input\n");
		return 1;
	}
	line[strcspn(line, "\n")] = '\0';
	printf("echo: got '%s'\n", line);
	return 0;
}
