// GongbuTesting
