// TelegramClient
