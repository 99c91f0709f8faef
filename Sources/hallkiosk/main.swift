import KioskApp
print("hallkiosk: not ready yet")
