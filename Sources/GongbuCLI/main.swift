print("gongbu")
