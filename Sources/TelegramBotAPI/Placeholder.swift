// TelegramBotAPI
