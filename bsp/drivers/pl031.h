/* ARM PrimeCell PL031 real-time clock: seconds since the UNIX epoch. */
#ifndef BSP_PL031_H
#define BSP_PL031_H

#include <stdint.h>

uint32_t pl031_read(uint32_t phys);

#endif /* BSP_PL031_H */
