import KioskApp
print("hallkiosk: the kiosk program is being assembled; see README")
