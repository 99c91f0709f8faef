import KioskPrint
