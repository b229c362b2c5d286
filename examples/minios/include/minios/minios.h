/* libvmm Mini-OS: everything an application needs. */
#ifndef MINIOS_MINIOS_H
#define MINIOS_MINIOS_H

#include <minios/os.h>
#include <minios/console.h>
#include <minios/time.h>
#include <minios/events.h>
#include <minios/sched.h>
#include <minios/runstate.h>
#include <minios/mm.h>

#endif /* MINIOS_MINIOS_H */
